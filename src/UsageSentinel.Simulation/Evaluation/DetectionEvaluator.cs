using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Simulation.Evaluation;

/// <summary>
/// Scores anomalies against the simulator's labels. An alert is an incident (all anomalies of one
/// <c>dedup_key</c>) that reached <c>alertSeverity</c>; an alert is about every account it names
/// (<c>account_id</c> and <c>linked_account_ids</c>). Resolutions are not alerts.
/// </summary>
public static class DetectionEvaluator
{
    /// <summary>Evaluates.</summary>
    /// <param name="labels">One label per simulated account.</param>
    /// <param name="anomalies">The anomalies raised.</param>
    /// <param name="days">Days of event time covered.</param>
    /// <param name="alertSeverity">The lowest severity that counts as an alert.</param>
    /// <returns>The report.</returns>
    public static EvaluationReport Evaluate(IReadOnlyList<ScenarioLabel> labels, IEnumerable<EvaluatedAnomaly> anomalies, double days, Severity alertSeverity = Severity.Medium)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(anomalies);
        var byAccount = labels.ToDictionary(l => l.AccountId, StringComparer.Ordinal);
        var considered = anomalies.Where(a => !a.Resolved).ToList();

        // Incidents that reached the alert severity, with the time they first did.
        var incidents = considered
            .GroupBy(a => a.DedupKey, StringComparer.Ordinal)
            .Select(g => g.Where(a => a.Severity >= alertSeverity).OrderBy(a => a.EventTime).FirstOrDefault())
            .Where(a => a is not null)
            .Select(a => a!)
            .ToList();

        var scenarios = new List<ScenarioResult>();
        foreach (var group in labels.GroupBy(l => l.Scenario, StringComparer.Ordinal).OrderByDescending(g => g.First().Abusive).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var expected = group.SelectMany(l => l.ExpectedDetectors).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var accounts = group.Select(l => l.AccountId).ToHashSet(StringComparer.Ordinal);
            var delays = new List<TimeSpan>();
            var detected = 0;
            foreach (var label in group.Where(l => l.Abusive))
            {
                var first = incidents
                    .Where(i => label.ExpectedDetectors.Contains(i.Detector) && Names(i).Contains(label.AccountId))
                    .OrderBy(i => i.EventTime)
                    .FirstOrDefault();
                if (first is not null)
                {
                    detected++;
                    delays.Add(first.EventTime - (label.AbuseStart ?? first.EventTime));
                }
            }

            var flagged = accounts.Count(a => incidents.Any(i => Names(i).Contains(a)));
            var abusive = group.First().Abusive;
            scenarios.Add(new ScenarioResult(
                group.Key,
                abusive,
                group.Count(),
                expected,
                detected,
                abusive ? detected / (double)group.Count() : null,
                delays.Count == 0 ? null : Median(delays),
                flagged));
        }

        var benign = labels.Count(l => !l.Abusive);
        var detectors = new List<DetectorResult>();
        foreach (var detector in incidents.Select(i => i.Detector).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var alerts = incidents.Where(i => i.Detector == detector).ToList();
            var trueAlerts = alerts.Count(i => Names(i).Any(a => byAccount.TryGetValue(a, out var l) && l.Abusive));
            var falseAlerts = alerts.Count - trueAlerts;
            detectors.Add(new DetectorResult(
                detector,
                alerts.Count,
                trueAlerts,
                alerts.Count == 0 ? null : trueAlerts / (double)alerts.Count,
                falseAlerts,
                benign == 0 || days <= 0 ? 0 : falseAlerts * 1000.0 / (benign * days)));
        }

        return new EvaluationReport(scenarios, detectors, benign, days, alertSeverity.ToWireName(), considered.Count);
    }

    private static IEnumerable<string> Names(EvaluatedAnomaly anomaly) => anomaly.LinkedAccountIds.Prepend(anomaly.AccountId);

    private static TimeSpan Median(List<TimeSpan> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}

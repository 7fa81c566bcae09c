namespace UsageSentinel.Simulation.Evaluation;

/// <summary>Pools several evaluation runs into one report.</summary>
public static class EvaluationAggregate
{
    /// <summary>Pools the runs: counts add up, recall and precision are recomputed, medians are medians of the runs' medians.</summary>
    /// <param name="reports">The runs.</param>
    /// <returns>The pooled report.</returns>
    public static EvaluationReport Combine(IReadOnlyList<EvaluationReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var scenarios = reports.SelectMany(r => r.Scenarios).GroupBy(s => s.Scenario, StringComparer.Ordinal).Select(g =>
        {
            var accounts = g.Sum(s => s.Accounts);
            var detected = g.Sum(s => s.Detected);
            var abusive = g.First().Abusive;
            var delays = g.Where(s => s.MedianTimeToDetect is not null).Select(s => s.MedianTimeToDetect!.Value).Order().ToList();
            return new ScenarioResult(g.Key, abusive, accounts, g.First().ExpectedDetectors, detected,
                abusive && accounts > 0 ? detected / (double)accounts : null,
                delays.Count == 0 ? null : delays[delays.Count / 2],
                g.Sum(s => s.Flagged));
        }).OrderByDescending(s => s.Abusive).ThenBy(s => s.Scenario, StringComparer.Ordinal).ToList();

        var accountDays = reports.Sum(r => r.BenignAccounts * r.Days);
        var detectors = reports.SelectMany(r => r.Detectors).GroupBy(d => d.Detector, StringComparer.Ordinal).Select(g =>
        {
            var alerts = g.Sum(d => d.Alerts);
            var trueAlerts = g.Sum(d => d.TrueAlerts);
            var falseAlerts = g.Sum(d => d.FalseAlerts);
            return new DetectorResult(g.Key, alerts, trueAlerts, alerts == 0 ? null : trueAlerts / (double)alerts, falseAlerts,
                accountDays <= 0 ? 0 : falseAlerts * 1000.0 / accountDays);
        }).OrderBy(d => d.Detector, StringComparer.Ordinal).ToList();

        var benign = reports.Sum(r => r.BenignAccounts);
        return new EvaluationReport(scenarios, detectors, benign, benign == 0 ? 0 : accountDays / benign, reports.Count == 0 ? "medium" : reports[0].AlertSeverity, reports.Sum(r => r.Anomalies));
    }
}

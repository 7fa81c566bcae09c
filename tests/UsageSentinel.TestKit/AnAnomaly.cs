using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.TestKit;

/// <summary>Builds anomalies (the detection output) for tests of the adapters that carry them.</summary>
public static class AnAnomaly
{
    /// <summary>An open anomaly with unique ids and one root cause.</summary>
    public static AnomalyDetected Open(
        string? account = null,
        string detector = DetectorNames.TrainingScale,
        Severity severity = Severity.High,
        double score = 87.5,
        string? summary = null,
        string? dedupKey = null,
        DateTimeOffset? at = null,
        IReadOnlyList<string>? linkedAccounts = null)
    {
        account ??= Some.AccountId();
        dedupKey ??= $"{detector}:{account}:{Some.Id("incident")}";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(dedupKey, "open"),
            AccountId = account,
            LinkedAccountIds = linkedAccounts ?? [],
            Detector = detector,
            EventTime = at ?? Some.Epoch,
            Score = score,
            Severity = severity,
            Confidence = 0.9,
            Summary = summary ?? $"Account {account} trains at restricted scale.",
            RootCauses = [new RootCause("estimated_training_flop", 2.1e24, 1e24, 0.6)],
            DedupKey = dedupKey,
            Status = AnomalyStatus.Open,
        };
    }

    /// <summary>An update of <paramref name="incident"/> with another severity and a later time.</summary>
    public static AnomalyDetected Updated(AnomalyDetected incident, Severity severity, TimeSpan? later = null, double? score = null) => incident with
    {
        AnomalyId = AnomalyDetected.DeriveId(incident.DedupKey, $"updated:{Some.Id("u")}"),
        Severity = severity,
        Score = score ?? incident.Score,
        EventTime = incident.EventTime + (later ?? TimeSpan.FromMinutes(10)),
        Status = AnomalyStatus.Updated,
    };

    /// <summary>The resolution of <paramref name="incident"/>.</summary>
    public static AnomalyDetected Resolved(AnomalyDetected incident, TimeSpan? later = null) => incident with
    {
        AnomalyId = AnomalyDetected.DeriveId(incident.DedupKey, "resolved"),
        EventTime = incident.EventTime + (later ?? TimeSpan.FromHours(1)),
        Summary = $"Resolved: {incident.Summary}",
        Status = AnomalyStatus.Resolved,
    };
}

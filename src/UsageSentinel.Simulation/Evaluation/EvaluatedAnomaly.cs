using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Simulation.Evaluation;

/// <summary>The parts of an anomaly that evaluation looks at.</summary>
/// <param name="AccountId">The account (or group representative).</param>
/// <param name="LinkedAccountIds">Other accounts in the finding.</param>
/// <param name="Detector">The detector.</param>
/// <param name="EventTime">When it was raised.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="DedupKey">Its incident.</param>
/// <param name="Resolved">Whether it resolves the incident.</param>
public sealed record EvaluatedAnomaly(string AccountId, IReadOnlyList<string> LinkedAccountIds, string Detector, DateTimeOffset EventTime, Severity Severity, string DedupKey, bool Resolved)
{
    /// <summary>Takes the parts of an anomaly.</summary>
    /// <param name="anomaly">The anomaly.</param>
    /// <returns>The evaluated parts.</returns>
    public static EvaluatedAnomaly From(AnomalyDetected anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        return new(anomaly.AccountId, anomaly.LinkedAccountIds, anomaly.Detector, anomaly.EventTime, anomaly.Severity, anomaly.DedupKey, anomaly.Status == AnomalyStatus.Resolved);
    }
}

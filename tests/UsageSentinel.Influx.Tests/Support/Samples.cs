using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Ports;
using UsageSentinel.TestKit;

namespace UsageSentinel.Influx.Tests.Support;

/// <summary>Builders of metric samples with recognisable values.</summary>
public static class Samples
{
    /// <summary>Gets the GPU-hours per model of <see cref="Usage"/>.</summary>
    public static Dictionary<string, double> UsageGpuHoursByModel { get; } = new() { ["H100-SXM"] = 64.0, ["A100-80GB"] = 32.5 };

    public static AccountUsageSample Usage(string account, DateTimeOffset? at = null) => new(
        account,
        at ?? Some.Epoch.AddHours(1),
        GpuHours: 96.5,
        GpuHoursByModel: [.. UsageGpuHoursByModel],
        EstimatedFlop: 3.25e21,
        RollingEstimatedFlop: 1.5e21,
        ConcurrentGpus: 16,
        Spend: 1234.5);

    public static DetectorScoreSample Score(string account, string detector = DetectorNames.ResaleProxy, double score = 42.5, DateTimeOffset? at = null) =>
        new(account, detector, at ?? Some.Epoch.AddHours(2), score);

    public static AnomalyDetected Anomaly(string account, string detector = DetectorNames.TrainingScale, Severity severity = Severity.High, DateTimeOffset? at = null, string? discriminator = null)
    {
        var dedupKey = $"{detector}:{account}";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(dedupKey, discriminator ?? "crossed:1e24"),
            AccountId = account,
            Detector = detector,
            EventTime = at ?? Some.Epoch.AddHours(3),
            Score = 87.5,
            Severity = severity,
            Confidence = 0.75,
            Summary = "Training compute crossed 1e24 FLOP, projected 1e25 within 30 days",
            RootCauses = [],
            DedupKey = dedupKey,
            Status = AnomalyStatus.Open,
        };
    }

    public static WorkerHealthSample Health(long deadLetters = 7, DateTimeOffset? at = null, IReadOnlyList<TopicHealthSample>? topics = null) => new(
        at ?? Some.Epoch.AddHours(4),
        topics ?? [new("gpu.instance-events", 1250.5, 42), new("billing.events", 300.25, 7)],
        DeadLetters: deadLetters,
        Duplicates: 11,
        ProcessingLatencyP50Ms: 1.5,
        ProcessingLatencyP99Ms: 12.25,
        TrackedAccounts: 50_000,
        StateBytes: 123_456_789,
        Anomalies: 13,
        AlertsDelivered: 12,
        AlertsFailed: 1);
}

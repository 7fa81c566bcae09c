using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Ports;
using UsageSentinel.Influx.Buffering;
using UsageSentinel.Influx.Schema;

namespace UsageSentinel.Influx.Points;

/// <summary>
/// Builds the points of each sample, named by <see cref="MetricNames"/>. Timestamps are Unix nanoseconds. Non-finite
/// numbers are left out (InfluxDB refuses NaN and infinities, and would refuse the whole batch).
/// </summary>
internal static class MetricPoints
{
    private const long NanosecondsPerTick = 100;
    private const long NanosecondsPerMillisecond = 1_000_000;

    private static readonly DateTimeOffset Earliest = new(1678, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2262, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Returns whether InfluxDB can store <paramref name="time"/> (nanoseconds since 1970 in a signed 64-bit integer).</summary>
    public static bool IsWritable(DateTimeOffset time) => time >= Earliest && time < Latest;

    public static long ToUnixNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosecondsPerTick;

    /// <summary>
    /// The anomaly's timestamp: its event time in whole milliseconds plus a sub-millisecond offset derived from its id.
    /// Anomalies with the same tags often share an event time (detectors judge at hour boundaries) and would overwrite
    /// each other at one timestamp; the offset keeps them apart, and the same anomaly written twice (at-least-once
    /// processing) lands on the same point instead of being counted twice.
    /// </summary>
    public static long AnomalyTimestamp(AnomalyDetected anomaly)
    {
        var ns = ToUnixNanoseconds(anomaly.EventTime);
        var millisecond = ns - (((ns % NanosecondsPerMillisecond) + NanosecondsPerMillisecond) % NanosecondsPerMillisecond);
        return millisecond + (long)(Fnv1a(anomaly.AnomalyId) % NanosecondsPerMillisecond);
    }

    public static PointData AccountUsage(in AccountUsageSample sample) =>
        PointData.Builder.Measurement(MetricNames.AccountUsage.Measurement)
            .Tag(MetricNames.AccountIdKey, sample.AccountId)
            .Finite(MetricNames.AccountUsage.GpuHours, sample.GpuHours)
            .Finite(MetricNames.AccountUsage.EstimatedFlop, sample.EstimatedFlop)
            .Finite(MetricNames.AccountUsage.RollingEstimatedFlop, sample.RollingEstimatedFlop)
            .Field(MetricNames.AccountUsage.ConcurrentGpus, (long)sample.ConcurrentGpus)
            .Finite(MetricNames.AccountUsage.Spend, sample.Spend)
            .Timestamp(ToUnixNanoseconds(sample.EventTime), WritePrecision.Ns)
            .ToPointData();

    public static PointData? AccountGpuHours(string accountId, string gpuModel, double gpuHours, long timestamp)
    {
        var builder = PointData.Builder.Measurement(MetricNames.AccountGpuHours.Measurement)
            .Tag(MetricNames.AccountIdKey, accountId)
            .Tag(MetricNames.GpuModelTag, gpuModel)
            .Finite(MetricNames.AccountGpuHours.GpuHours, gpuHours)
            .Timestamp(timestamp, WritePrecision.Ns);
        return builder.HasFields() ? builder.ToPointData() : null;
    }

    public static PointData? DetectorScore(in DetectorScoreSample sample)
    {
        var builder = PointData.Builder.Measurement(MetricNames.DetectorScore.Measurement)
            .Tag(MetricNames.AccountIdKey, sample.AccountId)
            .Tag(MetricNames.DetectorTag, sample.Detector)
            .Finite(MetricNames.DetectorScore.Score, sample.Score)
            .Timestamp(ToUnixNanoseconds(sample.EventTime), WritePrecision.Ns);
        return builder.HasFields() ? builder.ToPointData() : null;
    }

    public static PointData Anomaly(AnomalyDetected anomaly) =>
        PointData.Builder.Measurement(MetricNames.Anomalies.Measurement)
            .Tag(MetricNames.DetectorTag, anomaly.Detector)
            .Tag(MetricNames.SeverityTag, anomaly.Severity.ToWireName())
            .Tag(MetricNames.StatusTag, AnomalyJson.StatusName(anomaly.Status))
            .Finite(MetricNames.Anomalies.Score, anomaly.Score)
            .Finite(MetricNames.Anomalies.Confidence, anomaly.Confidence)
            .Field(MetricNames.AccountIdKey, anomaly.AccountId)
            .Field(MetricNames.Anomalies.DedupKey, anomaly.DedupKey)
            .Field(MetricNames.Anomalies.AnomalyId, anomaly.AnomalyId)
            .Field(MetricNames.Anomalies.Summary, anomaly.Summary)
            .Timestamp(AnomalyTimestamp(anomaly), WritePrecision.Ns)
            .ToPointData();

    public static PointData WorkerHealth(in WorkerHealthSample sample, string worker, InfluxWriterStats writer) =>
        PointData.Builder.Measurement(MetricNames.WorkerHealth.Measurement)
            .Tag(MetricNames.WorkerTag, worker)
            .Field(MetricNames.WorkerHealth.DeadLetters, sample.DeadLetters)
            .Field(MetricNames.WorkerHealth.Duplicates, sample.Duplicates)
            .Finite(MetricNames.WorkerHealth.ProcessingLatencyP50Ms, sample.ProcessingLatencyP50Ms)
            .Finite(MetricNames.WorkerHealth.ProcessingLatencyP99Ms, sample.ProcessingLatencyP99Ms)
            .Field(MetricNames.WorkerHealth.TrackedAccounts, sample.TrackedAccounts)
            .Field(MetricNames.WorkerHealth.StateBytes, sample.StateBytes)
            .Field(MetricNames.WorkerHealth.Anomalies, sample.Anomalies)
            .Field(MetricNames.WorkerHealth.RestoredAccounts, sample.RestoredAccounts)
            .Field(MetricNames.WorkerHealth.RestoreMs, sample.RestoreMilliseconds)
            .Field(MetricNames.WorkerHealth.Checkpoints, sample.Checkpoints)
            .Field(MetricNames.WorkerHealth.AlertsDelivered, sample.AlertsDelivered)
            .Field(MetricNames.WorkerHealth.AlertsFailed, sample.AlertsFailed)
            .Field(MetricNames.WorkerHealth.MetricsWritten, writer.Written)
            .Field(MetricNames.WorkerHealth.MetricsDropped, writer.Dropped)
            .Field(MetricNames.WorkerHealth.MetricsBuffered, writer.Buffered)
            .Field(MetricNames.WorkerHealth.MetricsFailedBatches, writer.FailedBatches)
            .Field(MetricNames.WorkerHealth.MetricsSkippedAccountSamples, writer.SkippedAccountSamples)
            .Timestamp(ToUnixNanoseconds(sample.Timestamp), WritePrecision.Ns)
            .ToPointData();

    public static PointData? WorkerTopic(in TopicHealthSample topic, string worker, long timestamp)
    {
        if (string.IsNullOrEmpty(topic.Topic))
        {
            return null;
        }

        return PointData.Builder.Measurement(MetricNames.WorkerTopic.Measurement)
            .Tag(MetricNames.WorkerTag, worker)
            .Tag(MetricNames.TopicTag, topic.Topic)
            .Finite(MetricNames.WorkerTopic.EventsPerSecond, topic.EventsPerSecond)
            .Field(MetricNames.WorkerTopic.Lag, topic.Lag)
            .Timestamp(timestamp, WritePrecision.Ns)
            .ToPointData();
    }

    private static PointData.Builder Finite(this PointData.Builder builder, string field, double value) =>
        double.IsFinite(value) ? builder.Field(field, value) : builder;

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return hash;
    }
}

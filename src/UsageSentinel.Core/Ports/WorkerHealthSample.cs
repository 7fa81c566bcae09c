namespace UsageSentinel.Core.Ports;

/// <summary>
/// The worker's own health at a wall-clock time, for <see cref="IMetricsWriter.WriteWorkerHealth"/>. Counts are running
/// totals since the worker started (dashboards take their differences), so a lost sample loses no counts.
/// </summary>
/// <param name="Timestamp">Wall-clock time of the sample, from the worker's <see cref="TimeProvider"/>.</param>
/// <param name="Topics">Throughput and lag per input topic.</param>
/// <param name="DeadLetters">Messages dead-lettered (total).</param>
/// <param name="Duplicates">Duplicate events ignored (total).</param>
/// <param name="ProcessingLatencyP50Ms">Median time from consume to verdict, in milliseconds.</param>
/// <param name="ProcessingLatencyP99Ms">99th percentile time from consume to verdict, in milliseconds.</param>
/// <param name="TrackedAccounts">Accounts with state in the worker.</param>
/// <param name="StateBytes">Estimated size of that state, in bytes.</param>
/// <param name="Anomalies">Anomalies raised (total).</param>
/// <param name="AlertsDelivered">Alert deliveries that succeeded (total).</param>
/// <param name="AlertsFailed">Alert deliveries that failed after retries (total).</param>
/// <param name="RestoredAccounts">Accounts restored from the state topic on partition assignment (total).</param>
/// <param name="RestoreMilliseconds">Time spent restoring partitions, in milliseconds (total).</param>
/// <param name="Checkpoints">Checkpoints written to the state topic (total).</param>
public readonly record struct WorkerHealthSample(
    DateTimeOffset Timestamp,
    IReadOnlyList<TopicHealthSample> Topics,
    long DeadLetters,
    long Duplicates,
    double ProcessingLatencyP50Ms,
    double ProcessingLatencyP99Ms,
    long TrackedAccounts,
    long StateBytes,
    long Anomalies,
    long AlertsDelivered,
    long AlertsFailed,
    long RestoredAccounts = 0,
    long RestoreMilliseconds = 0,
    long Checkpoints = 0);

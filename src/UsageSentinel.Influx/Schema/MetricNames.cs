namespace UsageSentinel.Influx.Schema;

/// <summary>
/// Every measurement, tag and field the writer produces: the one place they are named. Dashboards are checked against
/// <see cref="Schema"/> by a test, so renaming one here fails until its panels follow.
/// </summary>
/// <remarks>
/// Tags come from bounded sets (detector, severity, status, GPU model, topic, worker instance), except
/// <c>account_id</c> on <see cref="AccountUsage"/>, <see cref="AccountGpuHours"/> and <see cref="DetectorScore"/>:
/// the account drill-down filters on it, and its count is capped by <c>Metrics:MaxAccounts</c>. Anomalies carry the
/// account id and dedup key as string fields, not tags.
/// </remarks>
public static class MetricNames
{
    /// <summary>The <c>worker</c> tag: the instance name (<c>Metrics:WorkerTag</c>).</summary>
    public const string WorkerTag = "worker";

    /// <summary>The <c>account_id</c> tag (drill-down measurements) or field (<see cref="Anomalies"/>).</summary>
    public const string AccountIdKey = "account_id";

    /// <summary>The <c>gpu_model</c> tag.</summary>
    public const string GpuModelTag = "gpu_model";

    /// <summary>The <c>detector</c> tag.</summary>
    public const string DetectorTag = "detector";

    /// <summary>The <c>severity</c> tag: <c>low</c>, <c>medium</c>, <c>high</c>, <c>critical</c>.</summary>
    public const string SeverityTag = "severity";

    /// <summary>The <c>status</c> tag: <c>open</c>, <c>updated</c>, <c>resolved</c>.</summary>
    public const string StatusTag = "status";

    /// <summary>The <c>topic</c> tag.</summary>
    public const string TopicTag = "topic";

    /// <summary>The <c>gpu_model</c> value written for models beyond <c>Metrics:MaxGpuModels</c>.</summary>
    public const string OtherGpuModel = "other";

    /// <summary>Gets every measurement with its tags and fields.</summary>
    public static IReadOnlyList<MeasurementSchema> Schema { get; } =
    [
        new(AccountUsage.Measurement, [AccountIdKey], [AccountUsage.GpuHours, AccountUsage.EstimatedFlop, AccountUsage.RollingEstimatedFlop, AccountUsage.ConcurrentGpus, AccountUsage.Spend]),
        new(AccountGpuHours.Measurement, [AccountIdKey, GpuModelTag], [AccountGpuHours.GpuHours]),
        new(DetectorScore.Measurement, [AccountIdKey, DetectorTag], [DetectorScore.Score]),
        new(Anomalies.Measurement, [DetectorTag, SeverityTag, StatusTag], [Anomalies.Score, Anomalies.Confidence, AccountIdKey, Anomalies.DedupKey, Anomalies.AnomalyId, Anomalies.Summary]),
        new(WorkerHealth.Measurement, [WorkerTag], WorkerHealth.Fields),
        new(WorkerTopic.Measurement, [WorkerTag, TopicTag], [WorkerTopic.EventsPerSecond, WorkerTopic.Lag]),
    ];

    /// <summary>Per-account usage at event time; tag <c>account_id</c>.</summary>
    public static class AccountUsage
    {
        /// <summary>The measurement.</summary>
        public const string Measurement = "account_usage";

        /// <summary>GPU-hours since first seen (float).</summary>
        public const string GpuHours = "gpu_hours";

        /// <summary>Estimated training FLOP since first seen (float).</summary>
        public const string EstimatedFlop = "estimated_flop";

        /// <summary>Estimated training FLOP in the rolling window (float).</summary>
        public const string RollingEstimatedFlop = "rolling_estimated_flop";

        /// <summary>GPUs running (integer).</summary>
        public const string ConcurrentGpus = "concurrent_gpus";

        /// <summary>Amount billed since first seen (float).</summary>
        public const string Spend = "spend";
    }

    /// <summary>Per-account GPU-hours per GPU model; tags <c>account_id</c>, <c>gpu_model</c>.</summary>
    public static class AccountGpuHours
    {
        /// <summary>The measurement.</summary>
        public const string Measurement = "account_gpu_hours";

        /// <summary>GPU-hours of the model since first seen (float).</summary>
        public const string GpuHours = "gpu_hours";
    }

    /// <summary>Detector scores per account; tags <c>account_id</c>, <c>detector</c>.</summary>
    public static class DetectorScore
    {
        /// <summary>The measurement.</summary>
        public const string Measurement = "detector_score";

        /// <summary>The normalised score, 0..100 (float).</summary>
        public const string Score = "score";
    }

    /// <summary>One point per anomaly; tags <c>detector</c>, <c>severity</c>, <c>status</c>.</summary>
    public static class Anomalies
    {
        /// <summary>The measurement.</summary>
        public const string Measurement = "anomalies";

        /// <summary>The normalised score, 0..100 (float).</summary>
        public const string Score = "score";

        /// <summary>The confidence, 0..1 (float).</summary>
        public const string Confidence = "confidence";

        /// <summary>The incident key (string).</summary>
        public const string DedupKey = "dedup_key";

        /// <summary>The anomaly id (string).</summary>
        public const string AnomalyId = "anomaly_id";

        /// <summary>The human sentence (string).</summary>
        public const string Summary = "summary";
    }

    /// <summary>The worker's health at wall-clock time; tag <c>worker</c>. Counts are running totals.</summary>
    public static class WorkerHealth
    {
        /// <summary>The measurement.</summary>
        public const string Measurement = "worker_health";

        /// <summary>Messages dead-lettered, total (integer).</summary>
        public const string DeadLetters = "dead_letters";

        /// <summary>Duplicate events ignored, total (integer).</summary>
        public const string Duplicates = "duplicates";

        /// <summary>Median processing latency in ms (float).</summary>
        public const string ProcessingLatencyP50Ms = "processing_latency_p50_ms";

        /// <summary>99th percentile processing latency in ms (float).</summary>
        public const string ProcessingLatencyP99Ms = "processing_latency_p99_ms";

        /// <summary>Accounts with state (integer).</summary>
        public const string TrackedAccounts = "tracked_accounts";

        /// <summary>Estimated state size in bytes (integer).</summary>
        public const string StateBytes = "state_bytes";

        /// <summary>Anomalies raised, total (integer).</summary>
        public const string Anomalies = "anomalies";

        /// <summary>Accounts restored from the state topic on partition assignment, total (integer).</summary>
        public const string RestoredAccounts = "restored_accounts";

        /// <summary>Time spent restoring partitions, total ms (integer).</summary>
        public const string RestoreMs = "restore_ms";

        /// <summary>Checkpoints written to the state topic, total (integer).</summary>
        public const string Checkpoints = "checkpoints";

        /// <summary>Alert deliveries that succeeded, total (integer).</summary>
        public const string AlertsDelivered = "alerts_delivered";

        /// <summary>Alert deliveries that failed, total (integer).</summary>
        public const string AlertsFailed = "alerts_failed";

        /// <summary>Metric points written, total (integer); added by the writer.</summary>
        public const string MetricsWritten = "metrics_written";

        /// <summary>Metric points dropped (buffer full or rejected by the server), total (integer); added by the writer.</summary>
        public const string MetricsDropped = "metrics_dropped";

        /// <summary>Metric points waiting in the buffer (integer); added by the writer.</summary>
        public const string MetricsBuffered = "metrics_buffered";

        /// <summary>Failed metric write requests, total (integer); added by the writer.</summary>
        public const string MetricsFailedBatches = "metrics_failed_batches";

        /// <summary>Account samples skipped over <c>Metrics:MaxAccounts</c>, total (integer); added by the writer.</summary>
        public const string MetricsSkippedAccountSamples = "metrics_skipped_account_samples";

        /// <summary>Gets every field of the measurement.</summary>
        public static IReadOnlyList<string> Fields { get; } =
        [
            DeadLetters, Duplicates, ProcessingLatencyP50Ms, ProcessingLatencyP99Ms, TrackedAccounts, StateBytes, Anomalies,
            RestoredAccounts, RestoreMs, Checkpoints, AlertsDelivered, AlertsFailed, MetricsWritten, MetricsDropped, MetricsBuffered, MetricsFailedBatches, MetricsSkippedAccountSamples,
        ];
    }

    /// <summary>Per-topic throughput and lag; tags <c>worker</c>, <c>topic</c>.</summary>
    public static class WorkerTopic
    {
        /// <summary>The measurement.</summary>
        public const string Measurement = "worker_topic";

        /// <summary>Events consumed per second (float).</summary>
        public const string EventsPerSecond = "events_per_second";

        /// <summary>Consumer lag in messages (integer).</summary>
        public const string Lag = "lag";
    }
}

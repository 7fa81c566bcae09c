using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Core.Ports;

/// <summary>
/// Writes the worker's metrics (per-account usage, detector scores, anomalies, worker health) to a time-series store.
/// One typed method per kind of sample, so the measurement, tag and field names live in one place (the adapter) and
/// dashboards can be checked against them.
/// </summary>
/// <remarks>
/// Every method only enqueues into a bounded buffer and returns: it never waits for the store, never throws because
/// the store is down, and is safe to call from any thread (several detection loops write at once). When the buffer is
/// full the oldest points are dropped and counted; a background flusher sends batches and retries.
/// Use <see cref="NullMetricsWriter.Instance"/> when metrics are disabled.
/// </remarks>
public interface IMetricsWriter
{
    /// <summary>Records an account's compute usage and spend at an event time.</summary>
    /// <param name="sample">The usage figures.</param>
    void WriteAccountUsage(in AccountUsageSample sample);

    /// <summary>Records a detector's score for an account, whether or not it raised an anomaly.</summary>
    /// <param name="sample">The score.</param>
    void WriteDetectorScore(in DetectorScoreSample sample);

    /// <summary>Records an anomaly (it is counted by detector, severity and status).</summary>
    /// <param name="anomaly">The anomaly.</param>
    void WriteAnomaly(AnomalyDetected anomaly);

    /// <summary>Records the worker's own health; the writer adds its own counters (points written, dropped, buffered).</summary>
    /// <param name="sample">The health figures.</param>
    void WriteWorkerHealth(in WorkerHealthSample sample);
}

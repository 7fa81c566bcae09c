using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Core.Ports;

/// <summary>An <see cref="IMetricsWriter"/> that discards everything, for when metrics are disabled.</summary>
public sealed class NullMetricsWriter : IMetricsWriter
{
    private NullMetricsWriter()
    {
    }

    /// <summary>Gets the shared instance.</summary>
    public static NullMetricsWriter Instance { get; } = new();

    /// <inheritdoc />
    public void WriteAccountUsage(in AccountUsageSample sample)
    {
    }

    /// <inheritdoc />
    public void WriteDetectorScore(in DetectorScoreSample sample)
    {
    }

    /// <inheritdoc />
    public void WriteAnomaly(AnomalyDetected anomaly)
    {
    }

    /// <inheritdoc />
    public void WriteWorkerHealth(in WorkerHealthSample sample)
    {
    }
}

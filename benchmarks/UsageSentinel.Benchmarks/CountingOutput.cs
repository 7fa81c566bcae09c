using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Benchmarks;

/// <summary>An engine output that only counts, so the benchmark measures the engine alone.</summary>
internal sealed class CountingOutput : IDetectionOutput<long>
{
    public long Done { get; private set; }

    public long Anomalies { get; private set; }

    public long UnknownInstanceTypes { get; private set; }

    public void OnAnomaly(AnomalyDetected anomaly, long token) => Anomalies++;

    public void OnEventDone(long token, EventOutcome outcome) => Done++;

    public void OnUnknownInstanceType(string instanceType, string? gpuModel) => UnknownInstanceTypes++;
}

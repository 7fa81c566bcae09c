using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.TestKit;

/// <summary>An engine output that records what it is told.</summary>
public sealed class RecordingOutput<TToken> : IDetectionOutput<TToken>
{
    public List<(AnomalyDetected Anomaly, TToken Token)> Anomalies { get; } = [];

    public List<(TToken Token, EventOutcome Outcome)> Done { get; } = [];

    public List<string> UnknownTypes { get; } = [];

    public void OnAnomaly(AnomalyDetected anomaly, TToken token) => Anomalies.Add((anomaly, token));

    public void OnEventDone(TToken token, EventOutcome outcome) => Done.Add((token, outcome));

    public void OnUnknownInstanceType(string instanceType, string? gpuModel) => UnknownTypes.Add(instanceType);
}

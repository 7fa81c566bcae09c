using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Worker.Replay;

/// <summary>What an in-memory detection run produced.</summary>
/// <param name="Anomalies">The anomalies, in the order raised.</param>
/// <param name="Events">Events accepted.</param>
/// <param name="Rejected">Events that failed the contract.</param>
/// <param name="Span">Event time from the first to the last event.</param>
/// <param name="Counters">The engine's counters (duplicates, late events, evictions, …).</param>
public sealed record DetectionResult(IReadOnlyList<AnomalyDetected> Anomalies, long Events, long Rejected, TimeSpan Span, EngineCounters Counters);

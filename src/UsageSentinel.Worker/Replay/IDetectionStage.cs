using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Worker.Replay;

/// <summary>
/// The detection side of a replay: takes parsed events in input order from the reading thread and runs the engines on
/// threads of its own; the anomalies go to the output stream in an order that does not depend on those threads' timing.
/// </summary>
internal interface IDetectionStage : IDisposable
{
    /// <summary>Gets the detection work; faults with the first exception of a detection thread.</summary>
    Task Detection { get; }

    /// <summary>Gets the anomalies raised so far (read for progress from the reading thread).</summary>
    long Anomalies { get; }

    /// <summary>Gets the engines' counters, in loop order.</summary>
    IReadOnlyList<EngineCounters> Counters { get; }

    /// <summary>Gets the instance types no catalog entry matched, in the order first met (loop by loop).</summary>
    IReadOnlyList<string> UnknownInstanceTypes { get; }

    /// <summary>Adds the next event of the input.</summary>
    void Add(AccountEvent @event, long lineNumber, CancellationToken cancellationToken);

    /// <summary>Hands over what is left: the end of input.</summary>
    void Complete(CancellationToken cancellationToken);

    /// <summary>Lets the detection threads end without more input, after reading failed or was cancelled.</summary>
    void Abort();
}

namespace UsageSentinel.Worker.Replay;

/// <summary>What a replay did.</summary>
public sealed record ReplaySummary
{
    /// <summary>Gets the non-blank lines read.</summary>
    public required long Lines { get; init; }

    /// <summary>Gets the events processed (late ones included).</summary>
    public required long Processed { get; init; }

    /// <summary>Gets the duplicate events dropped.</summary>
    public required long Duplicates { get; init; }

    /// <summary>Gets the events that arrived after the allowed lateness.</summary>
    public required long Late { get; init; }

    /// <summary>Gets the account evaluations of the hourly sweeps (see <see cref="Core.Engine.EngineCounters.SweepVisits"/>).</summary>
    public long SweepVisits { get; init; }

    /// <summary>Gets the account-hours the sweeps passed over (see <see cref="Core.Engine.EngineCounters.PassedOver"/>).</summary>
    public long PassedOver { get; init; }

    /// <summary>Gets the anomalies written.</summary>
    public required long Anomalies { get; init; }

    /// <summary>Gets the rejected lines per reason code.</summary>
    public required IReadOnlyDictionary<string, long> DeadLetters { get; init; }

    /// <summary>Gets the instance types the catalog does not know.</summary>
    public required IReadOnlyList<string> UnknownInstanceTypes { get; init; }
}

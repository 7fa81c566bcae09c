namespace UsageSentinel.Influx.Sinks;

/// <summary>The result of writing one batch.</summary>
internal enum WriteOutcomeKind
{
    /// <summary>The server accepted the batch.</summary>
    Written,

    /// <summary>The server was unreachable or failed; the batch is retried.</summary>
    Failed,

    /// <summary>The server refused the points as invalid; the batch is dropped.</summary>
    Rejected,
}

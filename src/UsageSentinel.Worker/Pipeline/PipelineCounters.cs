namespace UsageSentinel.Worker.Pipeline;

/// <summary>Running totals of the pipeline, readable from any thread.</summary>
public sealed class PipelineCounters
{
    private long _consumed;
    private long _deadLettered;
    private long _anomaliesPublished;
    private long _publishFailures;
    private long _paused;

    /// <summary>Gets messages consumed.</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    /// <summary>Gets messages dead-lettered.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Gets anomalies delivered to the anomaly topic.</summary>
    public long AnomaliesPublished => Interlocked.Read(ref _anomaliesPublished);

    /// <summary>Gets failed deliveries (retried).</summary>
    public long PublishFailures => Interlocked.Read(ref _publishFailures);

    /// <summary>Gets how often consumption was held because a detection loop was full.</summary>
    public long Pauses => Interlocked.Read(ref _paused);

    internal void AddConsumed() => Interlocked.Increment(ref _consumed);

    internal void AddDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void AddAnomalyPublished() => Interlocked.Increment(ref _anomaliesPublished);

    internal void AddPublishFailure() => Interlocked.Increment(ref _publishFailures);

    internal void AddPause() => Interlocked.Increment(ref _paused);

    private long _restoredAccounts;
    private long _restoreMilliseconds;
    private long _checkpoints;
    private long _stateRecords;

    /// <summary>Gets accounts restored from the state topic.</summary>
    public long RestoredAccounts => Interlocked.Read(ref _restoredAccounts);

    /// <summary>Gets the time spent restoring partitions, in milliseconds.</summary>
    public long RestoreMilliseconds => Interlocked.Read(ref _restoreMilliseconds);

    /// <summary>Gets checkpoints delivered to the state topic.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Gets records produced to the state topic.</summary>
    public long StateRecords => Interlocked.Read(ref _stateRecords);

    internal void AddRestored(long accounts, long milliseconds)
    {
        Interlocked.Add(ref _restoredAccounts, accounts);
        Interlocked.Add(ref _restoreMilliseconds, milliseconds);
    }

    internal void AddCheckpoint() => Interlocked.Increment(ref _checkpoints);

    internal void AddStateRecord() => Interlocked.Increment(ref _stateRecords);
}

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

    /// <summary>Gets how often consumption paused because a detection loop was full.</summary>
    public long Pauses => Interlocked.Read(ref _paused);

    internal void AddConsumed() => Interlocked.Increment(ref _consumed);

    internal void AddDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void AddAnomalyPublished() => Interlocked.Increment(ref _anomaliesPublished);

    internal void AddPublishFailure() => Interlocked.Increment(ref _publishFailures);

    internal void AddPause() => Interlocked.Increment(ref _paused);
}

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>
/// Counters of on-call alerting since the process started, safe to read from any thread, e.g. to publish as metrics.
/// Counts are per delivery (one anomaly for one receiver) unless stated otherwise.
/// </summary>
public sealed class AlertingStats
{
    private long _accepted;
    private long _suppressed;
    private long _unrouted;
    private long _delivered;
    private long _failedAttempts;
    private long _deadLettered;
    private long _superseded;
    private long _outboxFull;
    private long _circuitRejections;
    private long _rateLimitWaits;
    private long _pending;

    /// <summary>Gets the deliveries stored in the outbox.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Gets the deliveries not stored because the receiver already has the anomaly or an incident of at least its severity.</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    /// <summary>Gets the anomalies that matched no route (per anomaly).</summary>
    public long Unrouted => Interlocked.Read(ref _unrouted);

    /// <summary>Gets the deliveries a receiver accepted.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Gets the HTTP attempts that failed (per request, which may carry several grouped alerts).</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>Gets the deliveries handed to the undeliverable-alert sink, including those rejected because the outbox was full.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Gets the deliveries replaced by a later update of the same incident before they were sent.</summary>
    public long Superseded => Interlocked.Read(ref _superseded);

    /// <summary>Gets the deliveries refused because the outbox was full.</summary>
    public long OutboxFull => Interlocked.Read(ref _outboxFull);

    /// <summary>Gets the sends refused at once because the receiver's circuit was open (per request).</summary>
    public long CircuitRejections => Interlocked.Read(ref _circuitRejections);

    /// <summary>Gets the sends that waited for the receiver's rate limit (per request).</summary>
    public long RateLimitWaits => Interlocked.Read(ref _rateLimitWaits);

    /// <summary>Gets the deliveries waiting in the outbox now.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    internal void OnAccepted() => Interlocked.Increment(ref _accepted);

    internal void OnSuppressed() => Interlocked.Increment(ref _suppressed);

    internal void OnUnrouted() => Interlocked.Increment(ref _unrouted);

    internal void OnDelivered() => Interlocked.Increment(ref _delivered);

    internal void OnFailedAttempt() => Interlocked.Increment(ref _failedAttempts);

    internal void OnDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void OnSuperseded() => Interlocked.Increment(ref _superseded);

    internal void OnOutboxFull() => Interlocked.Increment(ref _outboxFull);

    internal void OnCircuitRejection() => Interlocked.Increment(ref _circuitRejections);

    internal void OnRateLimitWait() => Interlocked.Increment(ref _rateLimitWaits);

    internal void SetPending(long pending) => Interlocked.Exchange(ref _pending, pending);
}

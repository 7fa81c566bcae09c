namespace UsageSentinel.Influx.Buffering;

/// <summary>Running totals of the metrics writer, readable from any thread (also written into <c>worker_health</c>).</summary>
public sealed class InfluxWriterStats
{
    private long _written;
    private long _dropped;
    private long _failedBatches;
    private long _buffered;
    private long _skippedAccountSamples;

    /// <summary>Gets the points the server accepted.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Gets the points dropped: the oldest ones beyond <c>Metrics:BufferCapacity</c>, plus batches the server rejected as invalid.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets the write requests that failed (each is retried unless the server rejected its points as invalid).</summary>
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    /// <summary>Gets the points waiting in the buffer now.</summary>
    public long Buffered => Interlocked.Read(ref _buffered);

    /// <summary>Gets the account samples skipped because <c>Metrics:MaxAccounts</c> accounts were already written.</summary>
    public long SkippedAccountSamples => Interlocked.Read(ref _skippedAccountSamples);

    internal void AddWritten(long points) => Interlocked.Add(ref _written, points);

    internal void AddDropped(long points) => Interlocked.Add(ref _dropped, points);

    internal void AddFailedBatch() => Interlocked.Increment(ref _failedBatches);

    internal void SetBuffered(long points) => Interlocked.Exchange(ref _buffered, points);

    internal void AddSkippedAccountSample() => Interlocked.Increment(ref _skippedAccountSamples);
}

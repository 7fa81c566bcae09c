using System.Collections.Concurrent;

namespace UsageSentinel.Worker.Replay;

/// <summary>
/// The bounded hand-over between the replay's reading stage (one thread) and its detection stage (another): a fixed set
/// of <see cref="EventBatch"/>es goes round, full ones in order to the detection stage, empty ones back. A full queue
/// makes the reader wait; nothing is dropped. No allocation per batch once running.
/// </summary>
internal sealed class BatchHandOff : IDisposable
{
    /// <summary>The events per batch.</summary>
    public const int BatchSize = 512;

    /// <summary>The batches going round by default: at most this many batches are parsed ahead of detection.</summary>
    public const int DefaultBatches = 8;

    private readonly BlockingCollection<EventBatch> _full;
    private readonly BlockingCollection<EventBatch> _empty;

    /// <summary>Initializes a new instance of the <see cref="BatchHandOff"/> class.</summary>
    /// <param name="batches">The batches going round: at most this many are parsed ahead of detection.</param>
    public BatchHandOff(int batches = DefaultBatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batches);
        _full = new(new ConcurrentQueue<EventBatch>(), batches);
        _empty = new(new ConcurrentQueue<EventBatch>(), batches);
        for (var i = 0; i < batches; i++)
        {
            _empty.Add(new EventBatch(BatchSize));
        }
    }

    /// <summary>Reading stage: an empty batch to fill, waiting for one.</summary>
    public EventBatch TakeEmpty(CancellationToken cancellationToken) => _empty.Take(cancellationToken);

    /// <summary>Reading stage: hands a batch to the detection stage, after those handed before.</summary>
    public void Publish(EventBatch batch, CancellationToken cancellationToken) => _full.Add(batch, cancellationToken);

    /// <summary>Reading stage: no more batches will come.</summary>
    public void Complete()
    {
        if (!_full.IsAddingCompleted)
        {
            _full.CompleteAdding();
        }
    }

    /// <summary>Detection stage: the next batch, waiting for one.</summary>
    /// <returns><see langword="false"/> when the reading stage completed and every batch was taken.</returns>
    public bool TryTakeFull(CancellationToken cancellationToken, out EventBatch batch) =>
        _full.TryTake(out batch!, Timeout.Infinite, cancellationToken);

    /// <summary>Detection stage: gives a processed (cleared) batch back for reuse.</summary>
    public void ReturnEmpty(EventBatch batch) => _empty.Add(batch);

    public void Dispose()
    {
        _full.Dispose();
        _empty.Dispose();
    }
}

namespace UsageSentinel.Worker.Replay;

/// <summary>
/// The bounded hand-over between the replay's reading stage (one thread) and its detection stage (another): a fixed set
/// of <see cref="EventBatch"/>es goes round, full ones in order to the detection stage, empty ones back. A full queue
/// makes the reader wait; nothing is dropped. No allocation per batch once running.
/// </summary>
/// <remarks>
/// A side with nothing to take blocks on a monitor at once, without spinning first. The replay runs more busy threads
/// (the reader and the loops) than a small machine has cores, and the one a waiting thread waits for is often the one
/// it would spin against: with a <see cref="System.Collections.Concurrent.BlockingCollection{T}"/> (whose semaphore
/// spins and yields before it blocks, and which links a cancellation source on every wait) waiting took ~4 % of a
/// two-loop replay's CPU samples; without, the 5,000,000-event replay used 15.96 s of CPU instead of 16.41 s (4 rounds)
/// in the same wall time. A batch is 512 events, so waking a blocked side is rare and cheap by comparison.
/// </remarks>
internal sealed class BatchHandOff : IDisposable
{
    /// <summary>The events per batch.</summary>
    public const int BatchSize = 512;

    /// <summary>The batches going round by default: at most this many batches are parsed ahead of detection.</summary>
    public const int DefaultBatches = 8;

    private readonly object _gate = new(); // a monitor: Monitor.Wait needs one, which a System.Threading.Lock is not
    private readonly Queue<EventBatch> _full;
    private readonly Queue<EventBatch> _empty;
    private CancellationTokenRegistration _readerCancellation;
    private CancellationTokenRegistration _detectionCancellation;
    private bool _completed;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="BatchHandOff"/> class.</summary>
    /// <param name="batches">The batches going round: at most this many are parsed ahead of detection.</param>
    public BatchHandOff(int batches = DefaultBatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batches);
        _full = new Queue<EventBatch>(batches);
        _empty = new Queue<EventBatch>(batches);
        for (var i = 0; i < batches; i++)
        {
            _empty.Enqueue(new EventBatch(BatchSize));
        }
    }

    /// <summary>Reading stage: an empty batch to fill, waiting for one.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public EventBatch TakeEmpty(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            while (_empty.Count == 0)
            {
                Wait(ref _readerCancellation, cancellationToken);
            }

            return _empty.Dequeue();
        }
    }

    /// <summary>Reading stage: hands a batch to the detection stage, after those handed before.</summary>
    /// <exception cref="InvalidOperationException">The hand-off was completed.</exception>
    public void Publish(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_completed)
            {
                throw new InvalidOperationException("The hand-off was completed: no more batches are taken.");
            }

            // Never more than the batches going round, so there is always room.
            _full.Enqueue(batch);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Reading stage: no more batches will come.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Detection stage: the next batch, waiting for one.</summary>
    /// <returns><see langword="false"/> when the reading stage completed and every batch was taken.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public bool TryTakeFull(CancellationToken cancellationToken, out EventBatch batch)
    {
        lock (_gate)
        {
            while (_full.Count == 0)
            {
                if (_completed)
                {
                    batch = null!;
                    return false;
                }

                Wait(ref _detectionCancellation, cancellationToken);
            }

            batch = _full.Dequeue();
            return true;
        }
    }

    /// <summary>Detection stage: gives a processed (cleared) batch back for reuse.</summary>
    public void ReturnEmpty(EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            _empty.Enqueue(batch);
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _readerCancellation.Dispose();
        _detectionCancellation.Dispose();
    }

    /// <summary>
    /// Waits, holding <see cref="_gate"/>, until the other side pulses or <paramref name="cancellationToken"/> is
    /// cancelled. A side registers its token once and keeps the registration while it passes the same token.
    /// </summary>
    private void Wait(ref CancellationTokenRegistration registration, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.CanBeCanceled && registration.Token != cancellationToken)
        {
            // Unregister, not Dispose: Dispose would wait for a running callback, which waits for this lock.
            registration.Unregister();
            registration = cancellationToken.UnsafeRegister(static state => ((BatchHandOff)state!).WakeAll(), this);

            // A token cancelled by now ran the callback here, before this thread waits: do not wait for a pulse.
            cancellationToken.ThrowIfCancellationRequested();
        }

        // A cancellation from here on runs the callback on its thread, which takes the lock once this thread waits.
        Monitor.Wait(_gate);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void WakeAll()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}

using InfluxDB.Client.Writes;

namespace UsageSentinel.Influx.Buffering;

/// <summary>
/// A bounded ring of points between the writers (any thread, never waiting) and the one flusher. Beyond its capacity
/// the oldest point is dropped and counted. The flusher copies a batch out with <see cref="PeekBatch"/> and settles it
/// with <see cref="Complete"/> or <see cref="Reject"/>, so points being sent still count against the bound, and a point
/// evicted while its batch is in flight counts as dropped only if that batch then fails.
/// </summary>
internal sealed class PointBuffer : IDisposable
{
    private readonly Lock _lock = new();
    private readonly PointData?[] _ring;
    private readonly InfluxWriterStats _stats;
    private readonly int _batchSize;
    private readonly SemaphoreSlim _batchReady = new(0, 1);
    private int _head;
    private int _count;
    private long _headSequence;
    private long _inFlightStart = -1;
    private long _inFlightEnd = -1;
    private long _evictedInFlight;

    public PointBuffer(int capacity, int batchSize, InfluxWriterStats stats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _ring = new PointData?[capacity];
        _batchSize = batchSize;
        _stats = stats;
    }

    public int Capacity => _ring.Length;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds a point, dropping the oldest when full. Never waits for I/O.</summary>
    public void Add(PointData point)
    {
        lock (_lock)
        {
            if (_count == _ring.Length)
            {
                var evicted = _headSequence;
                _ring[_head] = null;
                _head = (_head + 1) % _ring.Length;
                _count--;
                _headSequence++;
                if (evicted >= _inFlightStart && evicted < _inFlightEnd)
                {
                    _evictedInFlight++;
                }
                else
                {
                    _stats.AddDropped(1);
                }
            }

            _ring[(_head + _count) % _ring.Length] = point;
            _count++;
            _stats.SetBuffered(_count);
            if (_count >= _batchSize && _batchReady.CurrentCount == 0)
            {
                _batchReady.Release();
            }
        }
    }

    /// <summary>Waits until a full batch is buffered or <paramref name="interval"/> has passed.</summary>
    public async Task WaitForBatchAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Count >= _batchSize)
        {
            return;
        }

        using var timer = new CancellationTokenSource(interval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _batchReady.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed: flush what there is.
        }
    }

    /// <summary>Copies up to <paramref name="max"/> of the oldest points into <paramref name="batch"/> and marks them in flight.</summary>
    /// <returns>The number of points copied.</returns>
    public int PeekBatch(List<PointData> batch, int max)
    {
        batch.Clear();
        lock (_lock)
        {
            var n = Math.Min(max, _count);
            for (var i = 0; i < n; i++)
            {
                batch.Add(_ring[(_head + i) % _ring.Length]!);
            }

            _inFlightStart = _headSequence;
            _inFlightEnd = _headSequence + n;
            _evictedInFlight = 0;
            return n;
        }
    }

    /// <summary>Settles the batch in flight: written (removed from the buffer) or failed (kept for a retry).</summary>
    public void Complete(bool written)
    {
        lock (_lock)
        {
            if (written)
            {
                _stats.AddWritten(_inFlightEnd - _inFlightStart);
                RemoveInFlight();
            }
            else
            {
                _stats.AddDropped(_evictedInFlight);
            }

            ClearInFlight();
        }
    }

    /// <summary>Drops the batch in flight: the server refused its points as invalid, so a retry cannot succeed.</summary>
    public void Reject()
    {
        lock (_lock)
        {
            _stats.AddDropped(_inFlightEnd - _inFlightStart);
            RemoveInFlight();
            ClearInFlight();
        }
    }

    public void Dispose() => _batchReady.Dispose();

    private void RemoveInFlight()
    {
        while (_count > 0 && _headSequence < _inFlightEnd)
        {
            _ring[_head] = null;
            _head = (_head + 1) % _ring.Length;
            _count--;
            _headSequence++;
        }

        _stats.SetBuffered(_count);
    }

    private void ClearInFlight()
    {
        _inFlightStart = -1;
        _inFlightEnd = -1;
        _evictedInFlight = 0;
    }
}

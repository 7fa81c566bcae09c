namespace UsageSentinel.Core.Engine;

/// <summary>
/// Events waiting for the watermark, taken out in priority order (event time, stream, offset or sequence; every
/// priority is distinct). Input mostly arrives in event-time order: an entry not below the last one queued in order
/// joins a ring, in and out in constant time; only entries that arrive out of order go to a heap. With the default
/// hour of allowed lateness a replay keeps about an hour of events waiting (~16,000 in the benchmark file), and a
/// heap of that size cost a cache miss per level on every removal (5 % of the replay's time in a profile).
/// </summary>
/// <typeparam name="T">The waiting element.</typeparam>
internal sealed class LatenessQueue<T>
{
    private readonly PriorityQueue<T, (long Ticks, long Stream, long Sequence)> _outOfOrder = new();
    private Entry[] _ring = new Entry[1024];
    private int _head;
    private int _count;

    /// <summary>Gets the number of waiting elements.</summary>
    public int Count => _count + _outOfOrder.Count;

    /// <summary>Gets the waiting elements, in no particular order.</summary>
    public IEnumerable<T> Items
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _ring[(_head + i) & (_ring.Length - 1)].Item;
            }

            foreach (var (item, _) in _outOfOrder.UnorderedItems)
            {
                yield return item;
            }
        }
    }

    /// <summary>Adds an element.</summary>
    /// <param name="item">The element.</param>
    /// <param name="priority">Its priority, distinct from every other element's.</param>
    public void Enqueue(in T item, (long Ticks, long Stream, long Sequence) priority)
    {
        if (_count > 0 && Compare(priority, _ring[(_head + _count - 1) & (_ring.Length - 1)].Priority) < 0)
        {
            _outOfOrder.Enqueue(item, priority);
            return;
        }

        if (_count == _ring.Length)
        {
            Grow();
        }

        _ring[(_head + _count) & (_ring.Length - 1)] = new Entry(item, priority);
        _count++;
    }

    /// <summary>Takes out the first element when its event time is at most <paramref name="maxTicks"/>.</summary>
    /// <param name="maxTicks">The watermark.</param>
    /// <param name="item">The element taken out.</param>
    /// <returns>Whether an element was taken out.</returns>
    public bool TryDequeue(long maxTicks, out T item)
    {
        var fromRing = _count > 0
            && (!_outOfOrder.TryPeek(out _, out var heapFirst) || Compare(_ring[_head].Priority, heapFirst) < 0);
        if (fromRing)
        {
            ref var entry = ref _ring[_head];
            if (entry.Priority.Ticks > maxTicks)
            {
                item = default!;
                return false;
            }

            item = entry.Item;
            entry = default;
            _head = (_head + 1) & (_ring.Length - 1);
            _count--;
            return true;
        }

        if (_outOfOrder.TryPeek(out _, out var first) && first.Ticks <= maxTicks)
        {
            item = _outOfOrder.Dequeue();
            return true;
        }

        item = default!;
        return false;
    }

    private static int Compare((long Ticks, long Stream, long Sequence) x, (long Ticks, long Stream, long Sequence) y)
    {
        if (x.Ticks != y.Ticks)
        {
            return x.Ticks < y.Ticks ? -1 : 1;
        }

        if (x.Stream != y.Stream)
        {
            return x.Stream < y.Stream ? -1 : 1;
        }

        return x.Sequence.CompareTo(y.Sequence);
    }

    private void Grow()
    {
        var larger = new Entry[_ring.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _ring[(_head + i) & (_ring.Length - 1)];
        }

        _ring = larger;
        _head = 0;
    }

    private readonly record struct Entry(T Item, (long Ticks, long Stream, long Sequence) Priority);
}

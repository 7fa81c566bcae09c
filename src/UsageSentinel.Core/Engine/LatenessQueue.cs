using System.Runtime.CompilerServices;

namespace UsageSentinel.Core.Engine;

/// <summary>
/// Events waiting for the watermark, taken out in priority order (event time, stream, offset or sequence; every
/// priority is distinct). Input mostly arrives in event-time order: an entry not below the last one queued in order
/// joins a ring, in and out in constant time; only entries that arrive out of order go to a heap. With the default
/// hour of allowed lateness a replay keeps about an hour of events waiting (~16,000 in the benchmark file), and a
/// heap of that size cost a cache miss per level on every removal (5 % of the replay's time in a profile).
/// </summary>
/// <remarks>
/// The ring is a chain of fixed segments of <see cref="SegmentLength"/> entries, each below the large object heap's
/// threshold, instead of one array that doubles: a burst (a backlog, the start of a file) no longer allocates ever
/// larger arrays on the large object heap, copying the queue each time (84 MB allocated there, 5 of the replay's 10
/// full collections triggered by large allocations), and the memory goes back once the burst has drained. A few
/// emptied segments are kept for reuse, so the steady state allocates nothing.
/// </remarks>
/// <typeparam name="T">The waiting element.</typeparam>
internal sealed class LatenessQueue<T>
{
    /// <summary>Entries per segment: 512 entries of up to ~160 bytes (the worker's are 120, the replay's 80) stay below the 85,000 bytes of the large object heap.</summary>
    internal const int SegmentLength = 512;

    /// <summary>How many emptied segments are kept for reuse; the rest go to the collector.</summary>
    internal const int MaxSpareSegments = 4;

    private readonly PriorityQueue<T, (long Ticks, long Stream, long Sequence)> _outOfOrder = new();
    private Segment? _head;
    private Segment? _tail;
    private Segment? _spare;
    private int _spareCount;
    private int _headIndex;
    private int _tailCount;
    private int _count;

    /// <summary>Gets the number of waiting elements.</summary>
    public int Count => _count + _outOfOrder.Count;

    /// <summary>Gets the number of segments the ring holds, in use or spare (for tests).</summary>
    internal int SegmentCount
    {
        get
        {
            var segments = _spareCount;
            for (var segment = _head; segment is not null; segment = segment.Next)
            {
                segments++;
            }

            return segments;
        }
    }

    /// <summary>Gets the waiting elements, in no particular order.</summary>
    public IEnumerable<T> Items
    {
        get
        {
            var index = _headIndex;
            var left = _count;
            for (var segment = _head; segment is not null && left > 0; segment = segment.Next, index = 0)
            {
                for (; index < SegmentLength && left > 0; index++, left--)
                {
                    yield return segment.Entries[index].Item;
                }
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
        if (_count > 0 && Compare(priority, _tail!.Entries[_tailCount - 1].Priority) < 0)
        {
            _outOfOrder.Enqueue(item, priority);
            return;
        }

        if (_tail is null)
        {
            _head = _tail = Rent();
            _headIndex = _tailCount = 0;
        }
        else if (_tailCount == SegmentLength)
        {
            var next = Rent();
            _tail.Next = next;
            _tail = next;
            _tailCount = 0;
        }

        _tail.Entries[_tailCount++] = new Entry(item, priority);
        _count++;
    }

    /// <summary>Takes out the first element when its event time is at most <paramref name="maxTicks"/>.</summary>
    /// <param name="maxTicks">The watermark.</param>
    /// <param name="item">The element taken out.</param>
    /// <returns>Whether an element was taken out.</returns>
    public bool TryDequeue(long maxTicks, out T item)
    {
        var fromRing = _count > 0
            && (!_outOfOrder.TryPeek(out _, out var heapFirst) || Compare(_head!.Entries[_headIndex].Priority, heapFirst) < 0);
        if (fromRing)
        {
            ref var entry = ref _head!.Entries[_headIndex];
            if (entry.Priority.Ticks > maxTicks)
            {
                item = default!;
                return false;
            }

            item = entry.Item;
            entry = default;
            _count--;
            if (_count == 0)
            {
                // Empty: the one segment left starts over (the head is the tail here).
                _headIndex = _tailCount = 0;
            }
            else if (++_headIndex == SegmentLength)
            {
                var emptied = _head;
                _head = emptied.Next!;
                _headIndex = 0;
                Return(emptied);
            }

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

    /// <summary>
    /// The in-order item <paramref name="ahead"/> places after the next one there (0 is the next), whatever its time,
    /// or a null reference when the ring holds none that far; for prefetching only, so an out-of-order item that would
    /// come first is not counted.
    /// </summary>
    /// <param name="ahead">How far ahead, from 0 to <see cref="SegmentLength"/> - 1.</param>
    /// <returns>A reference to the item, or a null reference.</returns>
    public ref readonly T PeekAhead(int ahead)
    {
        if (ahead >= _count)
        {
            return ref Unsafe.NullRef<T>();
        }

        var index = _headIndex + ahead;
        return ref index < SegmentLength
            ? ref _head!.Entries[index].Item
            : ref _head!.Next!.Entries[index - SegmentLength].Item;
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

    private Segment Rent()
    {
        if (_spare is { } spare)
        {
            _spare = spare.Next;
            spare.Next = null;
            _spareCount--;
            return spare;
        }

        return new Segment();
    }

    /// <summary>Keeps an emptied segment (its entries already cleared) for reuse, up to <see cref="MaxSpareSegments"/>.</summary>
    private void Return(Segment segment)
    {
        segment.Next = null;
        if (_spareCount < MaxSpareSegments)
        {
            segment.Next = _spare;
            _spare = segment;
            _spareCount++;
        }
    }

    private struct Entry(T item, (long Ticks, long Stream, long Sequence) priority)
    {
        public T Item = item;

        public (long Ticks, long Stream, long Sequence) Priority = priority;
    }

    private sealed class Segment
    {
        public Entry[] Entries { get; } = new Entry[SegmentLength];

        public Segment? Next { get; set; }
    }
}

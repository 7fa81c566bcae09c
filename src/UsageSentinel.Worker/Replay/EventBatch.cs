using UsageSentinel.Core.Events;

namespace UsageSentinel.Worker.Replay;

/// <summary>Parsed events with their line numbers, handed from the reading stage to the detection stage; reused.</summary>
internal sealed class EventBatch
{
    private readonly AccountEvent[] _events;
    private readonly long[] _lineNumbers;

    public EventBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _events = new AccountEvent[capacity];
        _lineNumbers = new long[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Gets or sets, for a lockstep loop's batch, the newest event time read from the input so far (all loops).</summary>
    public long Clock { get; set; } = long.MinValue;

    /// <summary>Gets or sets, for a lockstep loop's batch, the oldest event time read from the input so far (all loops).</summary>
    public long Earliest { get; set; } = long.MaxValue;

    public ReadOnlySpan<AccountEvent> Events => _events.AsSpan(0, Count);

    public ReadOnlySpan<long> LineNumbers => _lineNumbers.AsSpan(0, Count);

    /// <summary>Appends an event.</summary>
    /// <returns>Whether the batch is now full.</returns>
    public bool Add(AccountEvent @event, long lineNumber)
    {
        _events[Count] = @event;
        _lineNumbers[Count] = lineNumber;
        Count++;
        return Count == _events.Length;
    }

    /// <summary>Empties the batch, letting go of its events.</summary>
    public void Clear()
    {
        Array.Clear(_events, 0, Count);
        Count = 0;
    }
}

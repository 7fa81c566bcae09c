namespace UsageSentinel.Simulation.Engine;

/// <summary>The events of one time slice of all accounts, sorted by time with generation order breaking ties.</summary>
internal sealed class SliceBuffer
{
    private const int OrdinalBits = 38;

    private readonly DateTimeOffset _periodStart;
    private long[] _keys = new long[4096];
    private SimulatedEvent[] _events = new SimulatedEvent[4096];

    public SliceBuffer(DateTimeOffset periodStart) => _periodStart = periodStart;

    public int Count { get; private set; }

    public void Add(SimulatedEvent simulated)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _events, Count * 2);
        }

        // Seconds since the period start (under 2^25 for 366 days) above the insertion ordinal: unique keys, so the
        // unstable sort is stable in effect.
        long seconds = (simulated.OccurredAt.UtcTicks - _periodStart.UtcTicks) / TimeSpan.TicksPerSecond;
        _keys[Count] = (seconds << OrdinalBits) | (long)Count;
        _events[Count] = simulated;
        Count++;
    }

    public void Sort() => Array.Sort(_keys, _events, 0, Count);

    public SimulatedEvent this[int index] => _events[index];

    public void Clear()
    {
        Array.Clear(_events, 0, Count);
        Count = 0;
    }
}

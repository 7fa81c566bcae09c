namespace UsageSentinel.Core.Behaviour;

/// <summary>A count that halves every half-life of event time: recent events weigh most. Mutable struct, no allocation.</summary>
internal struct DecayedCounter
{
    private double _value;
    private long _ticks;

    /// <summary>Adds <paramref name="amount"/> at <paramref name="ticks"/>.</summary>
    public void Add(double amount, long ticks, long halfLifeTicks)
    {
        _value = ValueAt(ticks, halfLifeTicks) + amount;
        _ticks = Math.Max(_ticks, ticks);
    }

    /// <summary>Gets the value as of the last addition, undecayed: for the account state codec.</summary>
    internal readonly double StoredValue => _value;

    /// <summary>Gets the time of the last addition; 0 before the first: for the account state codec.</summary>
    internal readonly long StoredTicks => _ticks;

    /// <summary>Recreates a counter from <see cref="StoredValue"/> and <see cref="StoredTicks"/>.</summary>
    internal static DecayedCounter Restore(double value, long ticks) => new() { _value = value, _ticks = ticks };

    /// <summary>The decayed value at <paramref name="ticks"/>.</summary>
    public readonly double ValueAt(long ticks, long halfLifeTicks) =>
        _ticks == 0 || ticks <= _ticks || _value == 0 ? _value : _value * Math.Pow(0.5, (ticks - _ticks) / (double)halfLifeTicks);
}

namespace UsageSentinel.Core.Accounting;

/// <summary>Receives accrued compute, e.g. to spread it over daily buckets.</summary>
internal interface IAccrualSink
{
    /// <summary>Called for an interval during which <paramref name="peakFlops"/> FLOP/s (negative for corrections) ran.</summary>
    /// <param name="fromTicks">Interval start, UTC ticks.</param>
    /// <param name="toTicks">Interval end, UTC ticks.</param>
    /// <param name="peakFlops">Dense peak of the GPUs concerned, FLOP/s.</param>
    void OnAccrued(long fromTicks, long toTicks, double peakFlops);
}

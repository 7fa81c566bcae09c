namespace UsageSentinel.Core.Accounting;

/// <summary>Peak FLOP (GPU-seconds × dense peak) in daily UTC buckets over a rolling window of days.</summary>
/// <remarks>
/// A ring of <see cref="Days"/> + 1 slots, slot = day modulo the slots. The day a slot stands for follows from
/// <see cref="NewestDay"/> (the one day of its residue in the last <see cref="Days"/> + 1 days), so no day is stored
/// per slot: when the newest day moves forward, the slots of the days it passes are zeroed, and a slot always holds
/// the compute of the day it stands for (0 when none). Days older than that range never count in a sum, as the window
/// only reaches back from a day at or after the newest. Keeping the day per slot cost a second array of 91 longs,
/// 744 bytes per account that ever ran a GPU.
/// </remarks>
internal sealed partial class DailyComputeWindow : IAccrualSink
{
    // Created by the first day held: most accounts never run a GPU, and an empty window holds no day.
    private double[]? _flop;

    // Sum = the days before today (summed in slot order, kept until a day other than today changes) + today's day.
    // Hourly accrual only adds to today, so a sweep visit reads one slot instead of the whole window; the split is
    // part of the definition, so a restored window sums exactly like the one that was saved.
    private long _pastDay = long.MinValue;
    private double _past;

    /// <summary>Initializes a new instance of the <see cref="DailyComputeWindow"/> class.</summary>
    /// <param name="days">Days in the window.</param>
    public DailyComputeWindow(int days)
    {
        Days = days;
    }

    /// <summary>Gets the days in the window.</summary>
    public int Days { get; }

    /// <summary>Gets the newest day that received compute.</summary>
    public long NewestDay { get; private set; } = long.MinValue;

    /// <summary>Gets whether the window holds nothing, like a new one.</summary>
    public bool IsEmpty => _flop is null && NewestDay == long.MinValue;

    /// <inheritdoc />
    public void OnAccrued(long fromTicks, long toTicks, double peakFlops)
    {
        var from = fromTicks;
        while (from < toTicks)
        {
            var day = from / TimeSpan.TicksPerDay;
            var dayEnd = (day + 1) * TimeSpan.TicksPerDay;
            var until = Math.Min(dayEnd, toTicks);
            Add(day, peakFlops * ((until - from) / (double)TimeSpan.TicksPerSecond));
            from = until;
        }
    }

    /// <summary>Sums the days in the window that ends with the day of <paramref name="nowTicks"/>.</summary>
    /// <param name="nowTicks">UTC ticks.</param>
    /// <returns>Peak FLOP in the window.</returns>
    public double Sum(long nowTicks)
    {
        if (_flop is null)
        {
            return 0;
        }

        var today = nowTicks / TimeSpan.TicksPerDay;
        if (today != _pastDay)
        {
            _past = SumPastDays(today);
            _pastDay = today;
        }

        return Math.Max(0, _past + (Holds(today) ? _flop[SlotOf(today, _flop.Length)] : 0));
    }

    /// <summary>Prefetches the slot of the day of <paramref name="nowTicks"/> (see <see cref="Engine.CachePrefetch"/>).</summary>
    internal void Prefetch(long nowTicks)
    {
        if (_flop is { } flops)
        {
            Engine.CachePrefetch.At(ref flops[SlotOf(nowTicks / TimeSpan.TicksPerDay, flops.Length)]);
        }
    }

    /// <summary>Forgets the cached sum of past days: day <paramref name="day"/> changed.</summary>
    private void Changed(long day)
    {
        if (day != _pastDay)
        {
            _pastDay = long.MinValue;
        }
    }

    /// <summary>Sums, in slot order, the days of the window that ends with <paramref name="today"/>, today excluded.</summary>
    private double SumPastDays(long today)
    {
        var sum = 0.0;
        var flops = _flop!;
        for (var i = 0; i < flops.Length; i++)
        {
            var day = DayOf(i, flops.Length);
            if (day > today - Days && day < today)
            {
                sum += flops[i];
            }
        }

        return sum;
    }

    private static int SlotOf(long day, int slots) => (int)(((day % slots) + slots) % slots);

    /// <summary>Returns the day <paramref name="slot"/> stands for: the one of its residue in the slots' range of days up to <see cref="NewestDay"/>.</summary>
    private long DayOf(int slot, int slots) => NewestDay - SlotOf(NewestDay - slot, slots);

    /// <summary>Returns whether <paramref name="day"/> is in the slots' range of days (the newest and the <see cref="Days"/> before it).</summary>
    private bool Holds(long day) => day <= NewestDay && day > NewestDay - (Days + 1);

    private void Add(long day, double flop)
    {
        if (NewestDay != long.MinValue && day <= NewestDay - Days)
        {
            return; // older than the window: nothing to correct.
        }

        var flops = MoveNewestTo(day);
        flops[SlotOf(day, flops.Length)] += flop;
        Changed(day);
    }

    /// <summary>
    /// Makes <paramref name="day"/> the newest day when it is later (or the window empty), zeroing the slots of the days
    /// passed on the way, which stood for days that leave the range; returns the slots, created on first use.
    /// </summary>
    private double[] MoveNewestTo(long day)
    {
        _flop ??= new double[Days + 1];
        if (NewestDay == long.MinValue)
        {
            NewestDay = day;
        }
        else if (day > NewestDay)
        {
            if (day - NewestDay >= _flop.Length)
            {
                Array.Clear(_flop);
            }
            else
            {
                for (var passed = NewestDay + 1; passed <= day; passed++)
                {
                    _flop[SlotOf(passed, _flop.Length)] = 0;
                }
            }

            NewestDay = day;
        }

        return _flop;
    }
}

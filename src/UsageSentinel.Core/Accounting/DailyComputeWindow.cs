namespace UsageSentinel.Core.Accounting;

/// <summary>Peak FLOP (GPU-seconds × dense peak) in daily UTC buckets over a rolling window of days.</summary>
internal sealed partial class DailyComputeWindow : IAccrualSink
{
    // Created by the first day held: most accounts never run a GPU, and an empty window holds no day.
    private double[]? _flop;
    private long[]? _day;

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
    public bool IsEmpty => _day is null && NewestDay == long.MinValue;

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
        if (_day is null)
        {
            return 0;
        }

        var today = nowTicks / TimeSpan.TicksPerDay;
        if (today != _pastDay)
        {
            _past = SumPastDays(today);
            _pastDay = today;
        }

        var slot = SlotOf(today, _day.Length);
        return Math.Max(0, _past + (_day[slot] == today ? _flop![slot] : 0));
    }

    /// <summary>Prefetches the slot of the day of <paramref name="nowTicks"/> (see <see cref="Engine.CachePrefetch"/>).</summary>
    internal void Prefetch(long nowTicks)
    {
        if (_day is { } days)
        {
            var slot = SlotOf(nowTicks / TimeSpan.TicksPerDay, days.Length);
            Engine.CachePrefetch.At(ref days[slot]);
            Engine.CachePrefetch.At(ref _flop![slot]);
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
        var days = _day!;
        var flops = _flop!;
        for (var i = 0; i < days.Length; i++)
        {
            if (days[i] > today - Days && days[i] < today)
            {
                sum += flops[i];
            }
        }

        return sum;
    }

    private static int SlotOf(long day, int slots) => (int)(((day % slots) + slots) % slots);

    private void Add(long day, double flop)
    {
        if (NewestDay != long.MinValue && day <= NewestDay - Days)
        {
            return; // older than the window: nothing to correct.
        }

        var (days, flops) = Slots();
        var slot = SlotOf(day, days.Length);
        if (days[slot] != day)
        {
            days[slot] = day;
            flops[slot] = 0;
        }

        flops[slot] += flop;
        NewestDay = Math.Max(NewestDay, day);
        Changed(day);
    }

    /// <summary>Returns the day slots, creating them empty on first use.</summary>
    private (long[] Days, double[] Flops) Slots()
    {
        if (_day is null || _flop is null)
        {
            _flop = new double[Days + 1];
            _day = new long[Days + 1];
            Array.Fill(_day, long.MinValue);
        }

        return (_day, _flop);
    }
}

namespace UsageSentinel.Core.Accounting;

/// <summary>Peak FLOP (GPU-seconds × dense peak) in daily UTC buckets over a rolling window of days.</summary>
internal sealed partial class DailyComputeWindow : IAccrualSink
{
    // Created by the first day held: most accounts never run a GPU, and an empty window holds no day.
    private double[]? _flop;
    private long[]? _day;

    // The last Sum, for the day it was asked for, until a day changes: an evaluation asks several times.
    private long _sumDay = long.MinValue;
    private double _sum;

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
        var today = nowTicks / TimeSpan.TicksPerDay;
        if (today == _sumDay)
        {
            return _sum;
        }

        _sum = SumDays(today);
        _sumDay = today;
        return _sum;
    }

    /// <summary>Forgets the cached <see cref="Sum"/>: the days changed.</summary>
    private void Changed() => _sumDay = long.MinValue;

    private double SumDays(long today)
    {
        var sum = 0.0;
        if (_day is null)
        {
            return Math.Max(0, sum);
        }

        for (var i = 0; i < _day.Length; i++)
        {
            if (_day[i] > today - Days && _day[i] <= today)
            {
                sum += _flop![i];
            }
        }

        return Math.Max(0, sum);
    }

    private void Add(long day, double flop)
    {
        if (NewestDay != long.MinValue && day <= NewestDay - Days)
        {
            return; // older than the window: nothing to correct.
        }

        var (days, flops) = Slots();
        var slot = (int)(((day % days.Length) + days.Length) % days.Length);
        if (days[slot] != day)
        {
            days[slot] = day;
            flops[slot] = 0;
        }

        flops[slot] += flop;
        NewestDay = Math.Max(NewestDay, day);
        Changed();
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

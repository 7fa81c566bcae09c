namespace UsageSentinel.Core.Accounting;

/// <summary>Peak FLOP (GPU-seconds × dense peak) in daily UTC buckets over a rolling window of days.</summary>
/// <remarks>
/// <para>
/// A ring of slots, slot = day modulo the slots. The day a slot stands for follows from <see cref="NewestDay"/> (the one
/// day of its residue in the last slots' count of days), so no day is stored per slot: when the newest day moves
/// forward, the slots of the days it passes are zeroed, and a slot always holds the compute of the day it stands for
/// (0 when none). Keeping the day per slot cost a second array of 91 longs, 744 bytes per account that ever ran a GPU.
/// </para>
/// <para>
/// The ring starts with <see cref="InitialSlots"/> slots and doubles, up to <see cref="Days"/> + 1, when the days with
/// compute that the window still needs span more: an account that ran GPUs for a few days holds a few slots, not 91
/// (752 bytes, an eighth of a typical active account's state). Sums and the encoding go through the held days in one
/// order whatever the ring's size — by day modulo <see cref="Days"/> + 1, the slot order of a full ring — so a window
/// sums and encodes the same bytes however it grew, and as a restored copy of it does.
/// </para>
/// </remarks>
internal sealed partial class DailyComputeWindow : IAccrualSink
{
    /// <summary>The slots a ring starts with.</summary>
    public const int InitialSlots = 8;

    // Created by the first day held: most accounts never run a GPU, and an empty window holds no day.
    private double[]? _flop;

    // The oldest day with compute since the ring last emptied (long.MinValue when none): what a move forward must keep.
    private long _oldestDay = long.MinValue;

    // Sum = the days before today (summed in canonical order, kept until a day other than today changes) + today's day.
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

    /// <summary>Gets the slots the ring holds now (0 before the first day), e.g. to see that it grows only as needed.</summary>
    public int Slots => _flop?.Length ?? 0;

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

    /// <summary>Sums, in canonical order, the days of the window that ends with <paramref name="today"/>, today excluded.</summary>
    private double SumPastDays(long today)
    {
        var sum = 0.0;
        var (from, wrap, to) = CanonicalRange();
        sum = SumDays(wrap, to, today, sum);
        return SumDays(from, wrap - 1, today, sum);
    }

    private double SumDays(long first, long last, long today, double sum)
    {
        var flops = _flop!;
        for (var day = Math.Max(first, today - Days + 1); day <= last && day < today; day++)
        {
            sum += flops[SlotOf(day, flops.Length)];
        }

        return sum;
    }

    /// <summary>
    /// Returns the days the ring holds, <c>From</c> to <c>To</c>, and the first of them whose
    /// residue modulo <see cref="Days"/> + 1 is 0 (<c>To</c> + 1 when none): canonical order is
    /// <c>Wrap</c> to <c>To</c>, then <c>From</c> to <c>Wrap</c> - 1.
    /// </summary>
    private (long From, long Wrap, long To) CanonicalRange()
    {
        var to = NewestDay;
        var from = to - _flop!.Length + 1;
        var span = Days + 1L;
        var wrap = from + ((((span - (from % span)) % span) + span) % span);
        return (from, Math.Min(wrap, to + 1), to);
    }

    private static int SlotOf(long day, int slots) => (int)(((day % slots) + slots) % slots);

    /// <summary>Returns whether the ring holds <paramref name="day"/>: the newest day and the slots' count of days before it.</summary>
    private bool Holds(long day) => day <= NewestDay && day > NewestDay - _flop!.Length;

    private void Add(long day, double flop)
    {
        if (NewestDay != long.MinValue && day <= NewestDay - Days)
        {
            return; // older than the window: nothing to correct.
        }

        var flops = MoveNewestTo(day);
        flops[SlotOf(day, flops.Length)] += flop;
        _oldestDay = _oldestDay == long.MinValue ? day : Math.Min(_oldestDay, day);
        Changed(day);
    }

    /// <summary>
    /// Makes <paramref name="day"/> the newest day when it is later (or the window empty), zeroing the slots of the days
    /// passed on the way, which stood for days that leave the ring; grows the ring first when a day with compute the
    /// window still needs, or <paramref name="day"/> itself, would not fit. Returns the slots, created on first use.
    /// </summary>
    private double[] MoveNewestTo(long day)
    {
        if (_flop is null)
        {
            _flop = new double[Math.Min(InitialSlots, Days + 1)];
            NewestDay = NewestDay == long.MinValue ? day : NewestDay;
        }

        if (day > NewestDay)
        {
            if (day - NewestDay > Days)
            {
                // Everything held leaves the window for good.
                Array.Clear(_flop);
                _oldestDay = long.MinValue;
            }
            else
            {
                if (_oldestDay != long.MinValue)
                {
                    Reserve(day - Math.Max(_oldestDay, day - Days) + 1);
                }

                for (var passed = Math.Max(NewestDay + 1, day - _flop.Length + 1); passed <= day; passed++)
                {
                    _flop[SlotOf(passed, _flop.Length)] = 0;
                }
            }

            NewestDay = day;
        }
        else
        {
            Reserve(NewestDay - day + 1); // a late day the ring does not reach yet
        }

        return _flop;
    }

    /// <summary>Grows the ring, keeping what it holds, so that it holds at least <paramref name="days"/> days up to <see cref="NewestDay"/>.</summary>
    private void Reserve(long days)
    {
        var old = _flop!;
        if (days <= old.Length || old.Length == Days + 1)
        {
            return;
        }

        var grown = new double[(int)Math.Min(Days + 1L, Math.Max(2L * old.Length, days))];
        for (var day = NewestDay - old.Length + 1; day <= NewestDay; day++)
        {
            grown[SlotOf(day, grown.Length)] = old[SlotOf(day, old.Length)];
        }

        _flop = grown;
    }
}

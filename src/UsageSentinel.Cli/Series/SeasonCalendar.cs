using UsageSentinel.Core.Baselines;

namespace UsageSentinel.Cli.Series;

/// <summary>
/// Maps a series' timestamps to season buckets: a time-of-day slot (an hour for sub-hourly series, the interval itself up to
/// a day) × weekday/weekend; and scales the baseline's hourly defaults to the sampling interval.
/// </summary>
internal sealed class SeasonCalendar
{
    /// <summary>How many leading rows the sampling interval is inferred from.</summary>
    public const int InferenceRows = 64;

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private readonly long _slotTicks;

    private SeasonCalendar(TimeSpan interval)
    {
        Interval = interval;
        var slot = interval <= Hour ? Hour : interval >= Day ? Day : interval;
        SlotsPerDay = Math.Max(1, (int)(Day.Ticks / slot.Ticks));
        _slotTicks = Day.Ticks / SlotsPerDay;
        VisitsPerSlotDay = Math.Max(1.0, (double)_slotTicks / interval.Ticks);
    }

    /// <summary>Gets the sampling interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Gets the time-of-day slots per day.</summary>
    public int SlotsPerDay { get; }

    /// <summary>Gets the season buckets: the slots on weekdays, then on weekends.</summary>
    public int SeasonCount => 2 * SlotsPerDay;

    /// <summary>Gets how many observations fall in one slot on one day.</summary>
    public double VisitsPerSlotDay { get; }

    /// <summary>The calendar of a series sampled every <paramref name="interval"/>; a non-positive interval means hourly.</summary>
    public static SeasonCalendar ForInterval(TimeSpan interval) => new(interval > TimeSpan.Zero ? interval : Hour);

    /// <summary>The sampling interval of a series: the median positive step between consecutive leading timestamps (hourly if none).</summary>
    public static TimeSpan InferInterval(ReadOnlySpan<DateTime> leading)
    {
        Span<long> steps = stackalloc long[InferenceRows];
        var count = 0;
        for (var i = 1; i < leading.Length && count < steps.Length; i++)
        {
            var step = leading[i].Ticks - leading[i - 1].Ticks;
            if (step > 0)
            {
                steps[count++] = step;
            }
        }

        if (count == 0)
        {
            return Hour;
        }

        steps = steps[..count];
        steps.Sort();
        return TimeSpan.FromTicks(steps[count / 2]);
    }

    /// <summary>The season bucket of a wall-clock time.</summary>
    public int SeasonOf(DateTime wallClock)
    {
        var ticks = wallClock.Ticks;
        var day = ticks / TimeSpan.TicksPerDay;
        var slot = (int)(ticks % TimeSpan.TicksPerDay / _slotTicks);

        // Day 0 (0001-01-01) was a Monday: days 5 and 6 of each week are Saturday and Sunday.
        var weekend = day % 7 >= 5 ? 1 : 0;
        return (weekend * SlotsPerDay) + Math.Min(slot, SlotsPerDay - 1);
    }

    /// <summary>The baseline's defaults (tuned for hourly observations) scaled to this calendar's interval and seasons.</summary>
    public SeasonalBaselineOptions CreateOptions()
    {
        var defaults = new SeasonalBaselineOptions();
        var perHour = (double)Hour.Ticks / Interval.Ticks;
        return new SeasonalBaselineOptions
        {
            SeasonCount = SeasonCount,
            SeasonCycleLength = SlotsPerDay,
            LevelHalfLife = Math.Max(4, defaults.LevelHalfLife * perHour),
            SeasonHalfLife = Math.Max(2, defaults.SeasonHalfLife * VisitsPerSlotDay),
            SeasonRunLength = (int)Math.Clamp(Math.Round(VisitsPerSlotDay), 1, 64),
            SpreadHalfLife = Math.Max(24, defaults.SpreadHalfLife * perHour),
            WarmUpCount = (int)Math.Clamp(defaults.WarmUpCount * perHour, 14, 10_000_000),
        };
    }
}

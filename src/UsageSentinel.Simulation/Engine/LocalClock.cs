using UsageSentinel.Simulation.Randomness;

namespace UsageSentinel.Simulation.Engine;

/// <summary>Local-time helpers: accounts act in their own time zone. All results are whole seconds.</summary>
internal static class LocalClock
{
    /// <summary>The first instant at or after <paramref name="from"/> whose local time of day is <paramref name="localHour"/>.</summary>
    public static DateTimeOffset NextLocal(DateTimeOffset from, TimeSpan utcOffset, double localHour)
    {
        long target = (long)Math.Round(Wrap(localHour) * 3600);
        long localSecondOfDay = (long)(from + utcOffset).TimeOfDay.TotalSeconds;
        long delta = target - localSecondOfDay;
        if (delta < 0)
        {
            delta += 86_400;
        }

        return Truncate(from).AddSeconds(delta);
    }

    /// <summary>A random instant in [<paramref name="window"/>.Start, Start + 24 h) whose local hour lies in [from, to); wraps past midnight when to &lt; from.</summary>
    public static DateTimeOffset RandomLocal(SimRandom random, DayWindow window, TimeSpan utcOffset, double fromHour, double toHour)
    {
        double span = toHour >= fromHour ? toHour - fromHour : toHour + 24 - fromHour;
        return NextLocal(window.Start, utcOffset, fromHour + random.Between(0, span));
    }

    /// <summary>A random instant within the day window.</summary>
    public static DateTimeOffset RandomIn(SimRandom random, DayWindow window) =>
        window.Start.AddSeconds(random.Below(Math.Max(1, (int)window.Length.TotalSeconds)));

    public static bool IsLocalWeekend(DateTimeOffset time, TimeSpan utcOffset) =>
        (time + utcOffset).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Whether the local day around the middle of the window is a weekend day.</summary>
    public static bool IsWeekend(DayWindow window, TimeSpan utcOffset) =>
        IsLocalWeekend(window.Start.AddHours(12), utcOffset);

    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static DateTimeOffset AddRandomSeconds(SimRandom random, DateTimeOffset time, int maxSeconds) =>
        time.AddSeconds(random.Between(0, maxSeconds));

    private static double Wrap(double hour)
    {
        double h = hour % 24;
        return h < 0 ? h + 24 : h;
    }
}

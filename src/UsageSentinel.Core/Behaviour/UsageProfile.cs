using UsageSentinel.Core.Baselines;

namespace UsageSentinel.Core.Behaviour;

/// <summary>An account's hourly GPU usage and daily spend against their seasonal baselines. Owned by one loop.</summary>
internal sealed class UsageProfile(SeasonalBaselineOptions hourly, SeasonalBaselineOptions daily)
{
    // Held inline (mutable structs) and handed out by reference: every hour step of the account feeds the GPU baseline.
    private SeasonalBaseline _gpu = new(hourly);
    private SeasonalBaseline _spend = new(daily);

    public ref SeasonalBaseline Gpu => ref _gpu;

    public ref SeasonalBaseline Spend => ref _spend;

    /// <summary>
    /// The season of a UTC hour in the hourly GPU baseline: its hour of the day in the account's declared time zone,
    /// weekend hours (Saturday and Sunday) apart from weekday ones (24 + hour).
    /// </summary>
    /// <param name="utcHour">Hours since the Unix epoch, UTC.</param>
    /// <param name="offsetHours">The account's declared offset from UTC, in hours.</param>
    /// <returns>The season, from 0 to 47.</returns>
    public static int HourSeason(long utcHour, int offsetHours)
    {
        var local = utcHour + offsetHours;
        var hourOfDay = (int)(((local % 24) + 24) % 24);
        var day = (local - hourOfDay) / 24; // floor division, also before 1970
        var weekday = (int)((((day + 4) % 7) + 7) % 7); // 1970-01-01 was a Thursday: 0 = Sunday
        return (weekday is 0 or 6 ? 24 : 0) + hourOfDay;
    }

    /// <summary>Prefetches what feeding the hour that ends at <paramref name="nowTicks"/> reads from the GPU baseline.</summary>
    /// <param name="nowTicks">The end of the hour, UTC ticks.</param>
    /// <param name="offsetHours">The account's declared offset from UTC, in hours.</param>
    internal void PrefetchHour(long nowTicks, int offsetHours) =>
        _gpu.Prefetch(HourSeason((nowTicks / TimeSpan.TicksPerHour) - 1, offsetHours));

    public long LastFedHour { get; set; } = long.MinValue;

    public double LastGpuSeconds { get; set; }

    public double PeakGpus { get; set; }

    public long PeakGpusTicks { get; set; }

    public long SpendDay { get; set; } = long.MinValue;

    public double SpendToday { get; set; }

    /// <summary>Gets or sets GPU-hours per UTC day, to tell spend explained by GPU usage from spend that is not.</summary>
    public long GpuDay { get; set; } = long.MinValue;

    public double GpuHoursToday { get; set; }

    public double GpuHoursLastDay { get; set; }

    public double PeakDailyGpuHours { get; set; }

    /// <summary>Gets or sets the last UTC day whose GPU-hours jumped above the recent peak day.</summary>
    public long LastUsageJumpDay { get; set; } = long.MinValue;

    public long PeakDailyGpuHoursTicks { get; set; }

    public double PeakSpend { get; set; }

    public long PeakSpendTicks { get; set; }

    public bool UsageIncidentOpen { get; set; }

    public int UsageIncidentNumber { get; set; }

    public int CalmHours { get; set; }

    public double UsagePeakBefore { get; set; }

    public bool BillingIncidentOpen { get; set; }

    public int BillingIncidentNumber { get; set; }

    public long BillingIncidentDay { get; set; }
}

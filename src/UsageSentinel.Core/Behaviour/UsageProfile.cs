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

using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Core.Detectors;

/// <summary>Options of the <c>usage_deviation</c> and <c>billing_deviation</c> detectors (section <c>Detection:Deviation</c>).</summary>
public sealed class DeviationOptions
{
    /// <summary>Gets or sets whether the detectors run.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the seasonal-baseline score (0..1) an hour or a day must reach.</summary>
    /// <value>The default value is 0.99.</value>
    [Range(0.5, 1.0)]
    public double ScoreThreshold { get; set; } = 0.99;

    /// <summary>Gets or sets how many times its own recent peak the usage must reach.</summary>
    /// <value>The default value is 2.</value>
    [Range(1.0, 100.0)]
    public double PeakMultiple { get; set; } = 2;

    /// <summary>Gets or sets the minimum deviation, in GPUs above the recent peak, that is worth an alert.</summary>
    /// <value>The default value is 64 GPUs.</value>
    [Range(0.0, 1_000_000.0)]
    public double MinDeviationGpus { get; set; } = 64;

    /// <summary>
    /// Gets or sets how many times its recent peak day the daily spend must reach. Spend is far burstier than GPU
    /// usage (one day bills a whole multi-node job), so only an order-of-magnitude jump is an alert.
    /// </summary>
    /// <value>The default value is 20.</value>
    [Range(1.0, 10_000.0)]
    public double SpendPeakMultiple { get; set; } = 20;

    /// <summary>Gets or sets the minimum deviation of daily spend above the recent peak day that is worth an alert.</summary>
    /// <value>The default value is 5,000 (in the charges' currency).</value>
    [Range(0.0, 1e12)]
    public double MinDeviationSpend { get; set; } = 5_000;

    /// <summary>Gets or sets the half-life of the recent peak.</summary>
    /// <value>The default value is 14 days.</value>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan PeakHalfLife { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Gets or sets how many calm hours (usage back under 1.2 × the old peak) resolve a usage incident.</summary>
    /// <value>The default value is 24.</value>
    [Range(1, 10_000)]
    public int CalmHoursToResolve { get; set; } = 24;

    /// <summary>
    /// Gets or sets the typical peak GPUs assumed for a peer group until 20 of its accounts were seen: a cautious prior,
    /// so that a detection loop that has seen few accounts does not alert on every first burst.
    /// </summary>
    /// <value>The default value is 256 GPUs.</value>
    [Range(0.0, 1e7)]
    public double DefaultPeerPeakGpus { get; set; } = 256;

    /// <summary>Gets or sets the typical peak daily spend assumed for a peer group until 20 of its accounts were seen.</summary>
    /// <value>The default value is 50,000.</value>
    [Range(0.0, 1e12)]
    public double DefaultPeerPeakDailySpend { get; set; } = 50_000;

    /// <summary>Gets or sets the quantile of its peer group's peaks (one value per account and day) that an account's usage must exceed.</summary>
    /// <value>The default value is 0.99.</value>
    [Range(0.5, 0.9999)]
    public double PeerQuantile { get; set; } = 0.99;

    /// <summary>
    /// Gets or sets how recent a first-seen value (region, GPU model, source country, principal) must be to
    /// corroborate a usage spike.
    /// </summary>
    /// <value>The default value is 3 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan NoveltyWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Gets or sets how long an account must have been seen before a value counts as new for it (before that,
    /// everything is new).
    /// </summary>
    /// <value>The default value is 3 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan NoveltyAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Gets or sets whether a usage spike needs corroboration to reach medium severity (an alert): within
    /// <see cref="NoveltyWindow"/> a first-seen region or source country, or the share of 3A090.a-class GPUs moving up
    /// (each counts 1), a first-seen principal (½: labs hire) or GPU model (¼: labs move to each hardware generation),
    /// adding up to at least 1. Without it the spike is a low-severity record: growth in the regions and hands an
    /// account always uses is what research labs do.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireCorroboration { get; set; } = true;
}

using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Core.Baselines;

/// <summary>
/// Options of a <see cref="SeasonalBaseline"/>. Counts and half-lives are in observations, so the defaults fit hourly
/// observations with 24 hour-of-day slots on weekdays and 24 on weekends; scale them for other intervals.
/// </summary>
/// <remarks>
/// Baselines built from the same options instance share its derived constants, so create one instance per
/// configuration and do not change it while baselines built from it are in use.
/// </remarks>
public sealed class SeasonalBaselineOptions
{
    private BaselineParameters? _parameters;

    /// <summary>Gets or sets the number of season buckets (for example hour of day × weekday/weekend).</summary>
    /// <value>The default value is 48.</value>
    [Range(1, 4_096)]
    public int SeasonCount { get; set => Set(ref field, value); } = 48;

    /// <summary>
    /// Gets or sets how many seasons make one profile: seasons <c>s</c> and <c>s + k × SeasonCycleLength</c> are the same
    /// position in different profiles (the same hour in the weekday and the weekend profile). A season not seen yet
    /// starts from the most seen season at its position. Must divide <see cref="SeasonCount"/>.
    /// </summary>
    /// <value>The default value is 24.</value>
    [Range(1, 4_096)]
    public int SeasonCycleLength { get; set => Set(ref field, value); } = 24;

    /// <summary>Gets or sets the half-life, in observations, of the deseasonalised level.</summary>
    /// <value>The default value is 24 observations.</value>
    [Range(1.0, 1e7)]
    public double LevelHalfLife { get; set => Set(ref field, value); } = 24;

    /// <summary>Gets or sets the half-life, in visits of that season, of a season's offset from the level and of its spread.</summary>
    /// <value>The default value is 4 visits.</value>
    [Range(1.0, 1e7)]
    public double SeasonHalfLife { get; set => Set(ref field, value); } = 4;

    /// <summary>
    /// Gets or sets how many consecutive observations fall in one season each time it comes round (12 for 5-minute
    /// observations with hour-of-day seasons). A season's first rounds then weigh about equally, and its first round
    /// alone only teaches the season, however many observations it brings.
    /// </summary>
    /// <value>The default value is 1.</value>
    [Range(1, 64)]
    public int SeasonRunLength { get; set => Set(ref field, value); } = 1;

    /// <summary>
    /// Gets or sets the half-life, in observations, of the overall spread and of the residuals' tracked tail quantile (which
    /// halves in at most about 277 observations, so that it is learnt within days at any interval).
    /// </summary>
    /// <value>The default value is 168 observations.</value>
    [Range(1.0, 1e7)]
    public double SpreadHalfLife { get; set => Set(ref field, value); } = 168;

    /// <summary>Gets or sets how many observations (or how much prior weight) the baseline needs before it scores.</summary>
    /// <value>The default value is 48 observations.</value>
    [Range(0, 10_000_000)]
    public int WarmUpCount { get; set => Set(ref field, value); } = 48;

    /// <summary>
    /// Gets or sets where residuals are clipped, in spreads, before they update the level, the seasons and the spreads
    /// (a Huber-type robust update), so a spike moves the baseline by at most this many spreads times the gain.
    /// </summary>
    /// <value>The default value is 3 spreads.</value>
    [Range(1.0, 100.0)]
    public double OutlierClip { get; set => Set(ref field, value); } = 3;

    /// <summary>
    /// Gets or sets how many consecutive observations at least 4 spreads away on the same side confirm a level shift
    /// (smaller sustained shifts take longer). A confirmed shift moves the level to the shifted observations at once;
    /// shorter bursts never do.
    /// </summary>
    /// <value>The default value is 3 observations.</value>
    [Range(1, 100)]
    public int LevelShiftConfirmations { get; set => Set(ref field, value); } = 3;

    /// <summary>Gets or sets the smallest spread, in the series' unit, so that a constant series never divides by zero.</summary>
    /// <value>The default value is 1e-6.</value>
    [Range(1e-12, 1e12)]
    public double MinimumSpread { get; set => Set(ref field, value); } = 1e-6;

    /// <summary>
    /// Gets or sets the smallest spread as a fraction of the expected value's magnitude, a materiality threshold for
    /// ratio-scale series such as usage and spend: in an otherwise flat series a change must be about 6 times this
    /// (30% by default) to score 0.99.
    /// </summary>
    /// <value>The default value is 0.05.</value>
    [Range(0.0, 1.0)]
    public double RelativeMinimumSpread { get; set => Set(ref field, value); } = 0.05;

    /// <summary>
    /// Gets or sets the quantile of absolute residuals that is tracked to calibrate heavy-tailed series: the spread is never
    /// smaller than this quantile divided by <see cref="TailQuantileDeviation"/>.
    /// </summary>
    /// <value>The default value is 0.99.</value>
    [Range(0.5, 0.9999)]
    public double TailQuantile { get; set => Set(ref field, value); } = 0.99;

    /// <summary>
    /// Gets or sets the deviation, in spreads, that a residual at the tracked <see cref="TailQuantile"/> has at most (3
    /// spreads score 0.94: scoring 0.99 takes about twice the series' usual 1-in-100 residual).
    /// </summary>
    /// <value>The default value is 3 spreads.</value>
    [Range(1.0, 100.0)]
    public double TailQuantileDeviation { get; set => Set(ref field, value); } = 3;

    /// <summary>Gets the validated constants derived from these options, computed once and shared by the baselines built from them.</summary>
    internal BaselineParameters Parameters => _parameters ??= new BaselineParameters(this);

    private void Set<T>(ref T field, T value)
    {
        field = value;
        _parameters = null;
    }
}

using MathNet.Numerics.Distributions;

namespace UsageSentinel.Core.Baselines;

/// <summary>The validated constants a <see cref="SeasonalBaseline"/> derives from its options; immutable and shared.</summary>
internal sealed class BaselineParameters
{
    /// <summary>The CUSUM ignores deviations up to this many spreads (its reference value k).</summary>
    public const double ShiftDrift = 0.5;

    /// <summary>One observation adds at most this many spreads to the CUSUM, so a spike alone cannot confirm a shift.</summary>
    public const double ShiftCap = 4;

    /// <summary>
    /// Rounds (a round is one run of consecutive visits, <see cref="SeasonalBaselineOptions.SeasonRunLength"/> long) after
    /// which a season's residuals also update the level, the overall spread, the tail and the CUSUM.
    /// </summary>
    public const int EstablishedRounds = 1;

    /// <summary>Rounds at which a season's own spread weighs as much as the overall spread.</summary>
    public const int SeasonSpreadPriorRounds = 2;

    /// <summary>A season's spread is never below this fraction of the overall spread.</summary>
    public const double SeasonSpreadFloor = 0.25;

    /// <summary>Observations before residuals are clipped: until then the spread is not known well enough to clip against.</summary>
    public const int ClipFromCount = 8;

    /// <summary>The tail quantile moves by at least this factor per exceedance, so it is learnt in days, not weeks, at any interval.</summary>
    public const double MinTailStep = 0.25;

    public BaselineParameters(SeasonalBaselineOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SeasonCount, 1, nameof(options.SeasonCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SeasonCycleLength, 1, nameof(options.SeasonCycleLength));
        if (options.SeasonCount % options.SeasonCycleLength != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"SeasonCycleLength ({options.SeasonCycleLength}) must divide SeasonCount ({options.SeasonCount}).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.LevelHalfLife, 1.0, nameof(options.LevelHalfLife));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SeasonHalfLife, 1.0, nameof(options.SeasonHalfLife));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SpreadHalfLife, 1.0, nameof(options.SpreadHalfLife));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SeasonRunLength, 1, nameof(options.SeasonRunLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SeasonRunLength, 64, nameof(options.SeasonRunLength));
        ArgumentOutOfRangeException.ThrowIfNegative(options.WarmUpCount, nameof(options.WarmUpCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.OutlierClip, 1.0, nameof(options.OutlierClip));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LevelShiftConfirmations, 1, nameof(options.LevelShiftConfirmations));
        if (!(options.MinimumSpread > 0 && double.IsFinite(options.MinimumSpread)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MinimumSpread must be positive and finite.");
        }

        if (!(options.RelativeMinimumSpread >= 0 && options.RelativeMinimumSpread <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RelativeMinimumSpread must be in [0, 1].");
        }

        if (!(options.TailQuantile >= 0.5 && options.TailQuantile < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "TailQuantile must be in [0.5, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.TailQuantileDeviation, 1.0, nameof(options.TailQuantileDeviation));

        SeasonCount = options.SeasonCount;
        SeasonCycleLength = options.SeasonCycleLength;
        LevelGain = Gain(options.LevelHalfLife);
        SeasonGain = Gain(options.SeasonHalfLife);
        SeasonRunLength = options.SeasonRunLength;
        EstablishedVisits = Math.Min(EstablishedRounds * options.SeasonRunLength, byte.MaxValue);
        SeasonSpreadPriorVisits = SeasonSpreadPriorRounds * options.SeasonRunLength;
        SpreadGain = Gain(options.SpreadHalfLife);
        WarmUpCount = options.WarmUpCount;
        OutlierClip = options.OutlierClip;
        ShiftThreshold = (ShiftCap - ShiftDrift) * (options.LevelShiftConfirmations - 0.5);
        MinimumSpread = options.MinimumSpread;
        RelativeMinimumSpread = options.RelativeMinimumSpread;

        // Stochastic approximation of a quantile in log space: up by (1 + η p) above it, down by (1 - η (1 - p)) below,
        // which balances where a fraction 1 - p lies above. η makes the downward drift halve it in SpreadHalfLife.
        var p = options.TailQuantile;
        var eta = Math.Clamp(Math.Log(2) / ((1 - p) * options.SpreadHalfLife), MinTailStep, 1.0);
        TailUpFactor = 1 + (eta * p);
        TailDownFactor = 1 - (eta * (1 - p));
        TailPerSpread = 1 / options.TailQuantileDeviation;
        InitialTailPerSpread = Normal.InvCDF(0, 1, (1 + p) / 2);
    }

    public int SeasonCount { get; }

    public int SeasonCycleLength { get; }

    public double LevelGain { get; }

    public double SeasonGain { get; }

    /// <summary>Consecutive observations of one season in one round.</summary>
    public int SeasonRunLength { get; }

    /// <summary>Visits after which a season is established: <see cref="EstablishedRounds"/> rounds' worth.</summary>
    public int EstablishedVisits { get; }

    /// <summary>Visits at which a season's own spread weighs as much as the overall spread.</summary>
    public double SeasonSpreadPriorVisits { get; }


    public double SpreadGain { get; }

    public int WarmUpCount { get; }

    public double OutlierClip { get; }

    public double ShiftThreshold { get; }

    public double MinimumSpread { get; }

    public double RelativeMinimumSpread { get; }

    public double TailUpFactor { get; }

    public double TailDownFactor { get; }

    /// <summary>The spread floor per unit of the tracked tail quantile: 1 / TailQuantileDeviation.</summary>
    public double TailPerSpread { get; }

    /// <summary>The tail quantile of a normal residual, in spreads; starts the tracked quantile when warm-up ends.</summary>
    public double InitialTailPerSpread { get; }

    /// <summary>The EWMA gain whose weights halve every <paramref name="halfLife"/> updates.</summary>
    private static double Gain(double halfLife) => 1 - Math.Pow(0.5, 1 / halfLife);
}

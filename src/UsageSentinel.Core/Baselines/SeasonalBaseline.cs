using System.Runtime.InteropServices;

namespace UsageSentinel.Core.Baselines;

/// <summary>
/// A streaming, robust, seasonal baseline of one series that scores each observation against what it learnt from the
/// observations before it, then learns from it. Allocation-free per observation and a few hundred bytes per instance,
/// so it can run per account.
/// </summary>
/// <remarks>
/// <para>
/// The model is additive Holt-Winters without trend, made robust (Gelper, Fried and Croux, 2010): a deseasonalised
/// level plus one offset per season (hour of day × weekday/weekend for the per-account configuration). Residuals are
/// clipped at <see cref="SeasonalBaselineOptions.OutlierClip"/> spreads before they update the level, the offsets and the
/// spreads, so a spike barely moves them.
/// </para>
/// <para>
/// A season's first round (its first <see cref="SeasonalBaselineOptions.SeasonRunLength"/> visits) only teaches the
/// season its offset, as a running mean: its residuals are about the unknown offset, not the level. Until then it is
/// expected like the same hour of another profile (a weekend hour like the weekday hour), or else like the previous
/// observation's season. Later rounds weigh about equally until <see cref="SeasonalBaselineOptions.SeasonHalfLife"/> takes
/// over.
/// </para>
/// <para>
/// The spread is an EWMA of clipped absolute residuals, per season and overall, blended by how often the season was
/// seen; it is never below the tracked <see cref="SeasonalBaselineOptions.TailQuantile"/> of absolute residuals divided
/// by <see cref="SeasonalBaselineOptions.TailQuantileDeviation"/> (so a series that is often far from its expectation is
/// judged against its own tail), nor below <see cref="SeasonalBaselineOptions.RelativeMinimumSpread"/> of the expectation.
/// The score is one minus the two-sided tail probability of the deviation under Student-t with 3 degrees of freedom.
/// </para>
/// <para>
/// A two-sided CUSUM of deviations (each capped at 4 spreads, less 0.5) detects sustained level shifts: when it confirms
/// one, the level moves at once by the median of the run's last residuals, so a permanent change scores high for its first
/// <see cref="SeasonalBaselineOptions.LevelShiftConfirmations"/> or so observations and then is the new normal, while a
/// burst shorter than that never moves the level.
/// </para>
/// <para>
/// Known limit: within a season's first round a change of level cannot be told from the season's shape, and is learnt as
/// its shape; a later round corrects it, and meanwhile an observation at such a season can score high although the
/// series did not change (on the Helios GPU tenants, 16 of 269 rows above 0.99, at midnights of the first weekends).
/// </para>
/// <para>
/// An instance is not thread-safe: one owner feeds it in event-time order. A mutable struct, so an account's profile
/// holds its baselines inline (no object header, no pointer hop on the hourly path): keep it in a non-readonly field or
/// local, create it with the constructor (not <c>default</c>) and never copy it.
/// </para>
/// </remarks>
public partial struct SeasonalBaseline
{
    /// <summary>√(π/2): the standard deviation of a normal variable per unit of mean absolute deviation.</summary>
    private const double SigmaPerMeanAbsolute = 1.2533141373155003;

    /// <summary>Values are clamped to ±this before they are learnt, so no sum of them overflows.</summary>
    private const double MaxMagnitude = 1e30;

    private const double MaxDeviation = 1e9;

    private readonly BaselineParameters _parameters;

    /// <summary>
    /// Per season: the offset from the level at 2s, the spread at 2s + 1; after the 2 × <see cref="SeasonCount"/> floats,
    /// in the bytes of the ones that follow, how often each season was seen (<see cref="Visits"/>). One array, not a
    /// float and a byte array: two baselines per account, each one object less for the collector.
    /// </summary>
    private readonly float[] _seasons;

    /// <summary>How many seasons of one position in the cycle <see cref="Prefetch(int)"/> fetches, the observed one among them.</summary>
    private const int MaxPrefetchedMates = 4;


    private double _level;
    private int _count;
    private float _spread;
    private float _tail;
    private float _shiftUp;
    private float _shiftDown;
    private float _lastResidual;
    private float _residualBeforeLast;
    private ushort _shiftUpRun;
    private ushort _shiftDownRun;
    private short _lastSeason = -1;

    /// <summary>Initializes a new instance of the <see cref="SeasonalBaseline"/> struct that knows nothing yet.</summary>
    /// <param name="options">The options; baselines built from one instance share its derived constants.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SeasonalBaseline(SeasonalBaselineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _parameters = options.Parameters;
        var seasons = _parameters.SeasonCount;
        _seasons = new float[(2 * seasons) + ((seasons + sizeof(float) - 1) / sizeof(float))];
    }

    /// <summary>Gets the number of season buckets.</summary>
    public int SeasonCount => _parameters.SeasonCount;

    /// <summary>Gets how often each season was seen, saturating at 255 (empty for a <c>default</c> instance).</summary>
    private readonly Span<byte> Visits =>
        _seasons is null ? default : MemoryMarshal.AsBytes(_seasons.AsSpan(2 * _parameters.SeasonCount))[.._parameters.SeasonCount];

    /// <summary>Gets the observations learnt so far plus the weight of the prior, if seeded (saturating).</summary>
    public int Count => _count;

    /// <summary>Gets a value indicating whether the baseline scores observations (has reached the warm-up count).</summary>
    public bool IsWarmedUp => _count >= _parameters.WarmUpCount;

    /// <summary>Gets the deseasonalised level.</summary>
    public double Level => _level;

    /// <summary>Gets the overall spread (standard-deviation equivalent) of residuals.</summary>
    public double Spread => _spread;

    /// <summary>
    /// Starts the baseline over from a prior, such as the level and spread of the series' peer group, as if
    /// <paramref name="weight"/> observations had confirmed it; with a weight of at least the warm-up count the first
    /// observation is judged at once, against the prior level; each season then learns its own offset from the level
    /// (so a series at another level than its peers is flagged once, not for every hour of its first day).
    /// </summary>
    /// <param name="level">The prior level.</param>
    /// <param name="spread">The prior spread (standard-deviation equivalent); not negative.</param>
    /// <param name="weight">How many observations the prior is worth; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not finite or is negative.</exception>
    public void Seed(double level, double spread, double weight)
    {
        if (!double.IsFinite(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The prior level must be finite.");
        }

        if (!(spread >= 0 && double.IsFinite(spread)))
        {
            throw new ArgumentOutOfRangeException(nameof(spread), spread, "The prior spread must be finite and not negative.");
        }

        if (!(weight >= 0 && double.IsFinite(weight)))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The prior weight must be finite and not negative.");
        }

        Array.Clear(_seasons);
        _level = Math.Clamp(level, -MaxMagnitude, MaxMagnitude);
        _spread = (float)Math.Min(spread, MaxMagnitude);
        _count = (int)Math.Min(Math.Round(weight), int.MaxValue);
        _tail = 0;
        _lastSeason = -1;
        ResetShift();
    }

    /// <summary>Scores an observation against the baseline without learning from it.</summary>
    /// <param name="season">The observation's season bucket, in [0, <see cref="SeasonCount"/>).</param>
    /// <param name="value">The observed value; finite.</param>
    /// <returns>The verdict the next <see cref="Observe"/> with the same arguments would return.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The season is out of range or the value is not finite.</exception>
    public BaselineVerdict Evaluate(int season, double value)
    {
        CheckArguments(season, value);
        var prior = ReadSeason(season);
        return Judge(value, prior, out _);
    }

    /// <summary>
    /// Prefetches what observing <paramref name="season"/> reads: its visit count and figures, and, should it be unseen
    /// yet, those of the seasons at its position in the cycle it starts from (at most <see cref="MaxPrefetchedMates"/>).
    /// A hint; an out-of-range season fetches nothing.
    /// </summary>
    /// <param name="season">The season bucket about to be observed.</param>
    internal void Prefetch(int season)
    {
        var visits = Visits;
        if (unchecked((uint)season) >= (uint)visits.Length)
        {
            return;
        }

        Engine.CachePrefetch.At(ref visits[season]);
        var cycle = _parameters.SeasonCycleLength;
        var mates = 0;
        for (var other = season % cycle; other < visits.Length && mates < MaxPrefetchedMates; other += cycle, mates++)
        {
            Engine.CachePrefetch.At(ref _seasons[2 * other]);
        }
    }

    /// <summary>Scores an observation against the baseline learnt from the observations before it, then learns from it.</summary>
    /// <param name="season">The observation's season bucket, in [0, <see cref="SeasonCount"/>).</param>
    /// <param name="value">The observed value; finite. A period without usage is a zero, not a gap.</param>
    /// <returns>The verdict on this observation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The season is out of range or the value is not finite.</exception>
    public BaselineVerdict Observe(int season, double value)
    {
        CheckArguments(season, value);
        var prior = ReadSeason(season);
        var verdict = Judge(value, prior, out var spread);
        Learn(season, Math.Clamp(value, -MaxMagnitude, MaxMagnitude), prior, verdict.Expected, spread);
        return verdict;
    }

    private void CheckArguments(int season, double value)
    {
        if (unchecked((uint)season) >= (uint)_parameters.SeasonCount)
        {
            ThrowSeasonOutOfRange(season);
        }

        if (!double.IsFinite(value))
        {
            ThrowValueNotFinite(value);
        }
    }

    private BaselineVerdict Judge(double value, SeasonPrior prior, out double spread)
    {
        var p = _parameters;
        var x = Math.Clamp(value, -MaxMagnitude, MaxMagnitude);
        // Knowing nothing yet, the baseline expects what it sees.
        var expected = _count == 0 ? x : _level + prior.Offset;

        spread = _spread;
        if (prior.Weight > 0)
        {
            var weight = prior.Weight / (prior.Weight + p.SeasonSpreadPriorVisits);
            spread = Math.Max((weight * prior.Spread) + ((1 - weight) * _spread), BaselineParameters.SeasonSpreadFloor * _spread);
        }

        spread = Math.Max(spread, _tail * p.TailPerSpread);
        spread = Math.Max(spread, Math.Max(p.MinimumSpread, p.RelativeMinimumSpread * Math.Abs(expected)));

        var residual = x - expected;
        var deviation = residual == 0 ? 0 : Math.Clamp(residual / spread, -MaxDeviation, MaxDeviation);
        var warmedUp = _count >= p.WarmUpCount;
        var score = warmedUp ? StudentTTail.TwoSidedConfidence(deviation) : 0;
        return new BaselineVerdict(value, expected, spread, deviation, score, warmedUp);
    }

    private static void ThrowSeasonOutOfRange(int season) =>
        throw new ArgumentOutOfRangeException(nameof(season), season, "The season is outside [0, SeasonCount).");

    private static void ThrowValueNotFinite(double value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be finite.");
}

namespace UsageSentinel.Core.Baselines;

/// <summary>
/// A streaming, robust, seasonal baseline of one series that scores each observation against what it learnt from the
/// observations before it, then learns from it. Allocation-free per observation and a few hundred bytes per instance,
/// so it can run per account.
/// </summary>
/// <remarks>
/// <para>
/// The model is additive Holt-Winters without trend made robust (Gelper, Fried and Croux, 2010): a deseasonalised
/// level, updated by every observation, plus one offset per season bucket, each fed residuals clipped at
/// <see cref="SeasonalBaselineOptions.OutlierClip"/> spreads so that spikes barely move them. The spread is an EWMA of
/// clipped absolute residuals, overall and per season, blended by how often the season was seen, and never below the
/// tracked <see cref="SeasonalBaselineOptions.TailQuantile"/> of absolute residuals divided by
/// <see cref="SeasonalBaselineOptions.TailQuantileDeviation"/>, so series that are often far from their level are scored
/// against their own tail.
/// </para>
/// <para>
/// A two-sided CUSUM of deviations (each capped at 4 spreads, less 0.5) detects sustained level shifts; when it
/// confirms one, the level moves at once to the mean of the shifted observations, so a permanent change is flagged for
/// its first few observations and then becomes the new normal, while a spike of fewer than
/// <see cref="SeasonalBaselineOptions.LevelShiftConfirmations"/> observations never does.
/// </para>
/// <para>An instance is not thread-safe: one owner feeds it in event-time order.</para>
/// </remarks>
public sealed partial class SeasonalBaseline
{
    /// <summary>√(π/2): the standard deviation of a normal variable per unit of mean absolute deviation.</summary>
    private const double SigmaPerMeanAbsolute = 1.2533141373155003;

    /// <summary>Values are clamped to ±this before they are learnt, so no sum of them overflows.</summary>
    private const double MaxMagnitude = 1e30;

    private const double MaxDeviation = 1e9;

    private readonly BaselineParameters _parameters;

    /// <summary>Per season: the offset from the level at 2s, the spread at 2s + 1.</summary>
    private readonly float[] _seasons;

    /// <summary>Per season: how often it was seen, saturating at 255.</summary>
    private readonly byte[] _visits;

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

    /// <summary>Initializes a new instance of the <see cref="SeasonalBaseline"/> class that knows nothing yet.</summary>
    /// <param name="options">The options; baselines built from one instance share its derived constants.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SeasonalBaseline(SeasonalBaselineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _parameters = options.Parameters;
        _seasons = new float[2 * _parameters.SeasonCount];
        _visits = new byte[_parameters.SeasonCount];
    }

    /// <summary>Gets the number of season buckets.</summary>
    public int SeasonCount => _parameters.SeasonCount;

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
    /// observation is judged at once. Season offsets start at zero and learn as usual.
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
        Array.Clear(_visits);
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

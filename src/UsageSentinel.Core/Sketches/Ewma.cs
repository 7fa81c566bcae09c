namespace UsageSentinel.Core.Sketches;

/// <summary>
/// An exponentially weighted mean and variance with a half-life counted in observations or in event time.
/// An immutable 48-byte value: <c>_latency = _latency.Update(x);</c> works in a field, readonly or not, and allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// Each observation has weight 1 that halves every half-life; the mean and variance are those of the weighted
/// observations (West's / Finch's incremental update): with total weight W after decay and this observation's weight
/// w, α = w / W, <c>mean += α·(x − mean)</c>, <c>variance = (1 − α)·(variance + α·(x − mean)²)</c>. Early on the
/// weights are nearly equal, so the first observations are averaged instead of being biased toward the starting
/// value; in steady state with a half-life of h observations α → 1 − 2^(−1/h).
/// </para>
/// <para>
/// The variance is a sum of non-negative terms, so it is never negative; it saturates at <see cref="double.MaxValue"/>
/// rather than overflowing. Non-finite observations are ignored. With a time half-life, an observation older than the
/// newest one counts with its decayed weight; observations at the same time count equally.
/// </para>
/// </remarks>
public readonly struct Ewma : IEquatable<Ewma>
{
    private readonly double _halfLife;
    private readonly bool _timeBased;
    private readonly double _mean;
    private readonly double _variance;
    private readonly double _weight;
    private readonly long _lastTicks;

    private Ewma(double halfLife, bool timeBased, double mean, double variance, double weight, long lastTicks)
    {
        _halfLife = halfLife;
        _timeBased = timeBased;
        _mean = mean;
        _variance = variance;
        _weight = weight;
        _lastTicks = lastTicks;
    }

    /// <summary>Gets the weighted mean; 0 before the first observation.</summary>
    public double Mean => _mean;

    /// <summary>Gets the weighted variance (population form); never negative, 0 before the second observation.</summary>
    public double Variance => _variance;

    /// <summary>Gets the square root of <see cref="Variance"/>.</summary>
    public double StandardDeviation => Math.Sqrt(_variance);

    /// <summary>Gets the total decayed weight: the effective number of observations, at the newest one.</summary>
    public double Weight => _weight;

    /// <summary>Gets a value indicating whether nothing has been observed.</summary>
    public bool IsEmpty => _weight == 0;

    /// <summary>Creates an empty average whose observations lose half their weight every <paramref name="observations"/> observations.</summary>
    /// <param name="observations">The half-life in observations, at least 1 (finite).</param>
    /// <returns>The empty average.</returns>
    public static Ewma WithHalfLife(double observations)
    {
        if (!double.IsFinite(observations) || observations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(observations), observations, "The half-life must be a finite number of observations, at least 1.");
        }

        return new Ewma(observations, timeBased: false, 0, 0, 0, 0);
    }

    /// <summary>Creates an empty average whose observations lose half their weight every <paramref name="halfLife"/> of event time.</summary>
    /// <param name="halfLife">The half-life; positive.</param>
    /// <returns>The empty average; update it with <see cref="Update(double, long)"/>.</returns>
    public static Ewma WithHalfLife(TimeSpan halfLife)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(halfLife, TimeSpan.Zero);
        return new Ewma(halfLife.Ticks, timeBased: true, 0, 0, 0, 0);
    }

    /// <summary>Adds an observation to an average created with a half-life in observations.</summary>
    /// <param name="value">The observation; ignored when not finite.</param>
    /// <returns>The updated average; this instance is unchanged.</returns>
    public Ewma Update(double value)
    {
        if (_timeBased || _halfLife == 0)
        {
            ThrowWrongMode(timeBased: false);
        }

        return Observe(value, Math.Pow(2, -1 / _halfLife), 1, _lastTicks);
    }

    /// <summary>Adds an observation made at <paramref name="utcTicks"/> to an average created with a time half-life.</summary>
    /// <param name="value">The observation; ignored when not finite.</param>
    /// <param name="utcTicks">The event time, UTC ticks.</param>
    /// <returns>The updated average; this instance is unchanged.</returns>
    public Ewma Update(double value, long utcTicks)
    {
        if (!_timeBased)
        {
            ThrowWrongMode(timeBased: true);
        }

        if (_weight == 0 || utcTicks >= _lastTicks)
        {
            var decay = _weight == 0 ? 0 : Math.Pow(2, -(utcTicks - (double)_lastTicks) / _halfLife);
            return Observe(value, decay, 1, utcTicks);
        }

        // A late observation: it weighs what it would weigh now, the newest time stays.
        return Observe(value, 1, Math.Pow(2, -(_lastTicks - (double)utcTicks) / _halfLife), _lastTicks);
    }

    /// <inheritdoc/>
    public bool Equals(Ewma other) =>
        _halfLife.Equals(other._halfLife)
        && _timeBased == other._timeBased
        && _mean.Equals(other._mean)
        && _variance.Equals(other._variance)
        && _weight.Equals(other._weight)
        && _lastTicks == other._lastTicks;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Ewma other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_halfLife, _timeBased, _mean, _variance, _weight, _lastTicks);

    /// <summary>Whether two averages are in the same state.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(Ewma left, Ewma right) => left.Equals(right);

    /// <summary>Whether two averages are in different states.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Ewma left, Ewma right) => !left.Equals(right);

    private Ewma Observe(double value, double decay, double weight, long lastTicks)
    {
        if (!double.IsFinite(value) || weight == 0)
        {
            return this;
        }

        var total = (_weight * decay) + weight;
        var alpha = weight / total;
        var keep = 1 - alpha;
        var diff = value - _mean;
        double mean;
        double variance;
        if (double.IsFinite(diff))
        {
            mean = _mean + (alpha * diff);
            mean = double.IsFinite(mean) ? mean : (keep * _mean) + (alpha * value);
            variance = keep * (_variance + (alpha * diff * diff));
        }
        else
        {
            // The mean and the value are more than double.MaxValue apart: stay finite.
            mean = (keep * _mean) + (alpha * value);
            variance = double.PositiveInfinity;
        }

        variance = keep == 0 ? 0 : Math.Min(variance, double.MaxValue);
        return new Ewma(_halfLife, _timeBased, mean, variance, total, lastTicks);
    }

    private static void ThrowWrongMode(bool timeBased) =>
        throw new InvalidOperationException(timeBased
            ? "Update(value, utcTicks) needs an average created with Ewma.WithHalfLife(TimeSpan)."
            : "Update(value) needs an average created with Ewma.WithHalfLife(observations).");
}

namespace UsageSentinel.Core.Sketches;

/// <summary>
/// Estimates one quantile (the median, the 95th percentile, …) of a stream in constant memory: one 112-byte object
/// (the 96-byte estimator inline), no allocation per observation.
/// </summary>
/// <remarks>
/// The P² algorithm (Jain and Chlamtac, 1985): five markers track the minimum, maximum and three quantiles around
/// the target, adjusted by piecewise-parabolic interpolation. Exact for up to 5 observations, always within the
/// observed range, and typically within a few hundredths of the true quantile's value on smooth distributions after a
/// few thousand observations (see the tests). It does not forget: for a drifting stream, restart it per period or use
/// <see cref="Ewma"/>. Non-finite observations are ignored. Not thread-safe.
/// </remarks>
public sealed class StreamingQuantile
{
    private P2Estimator _estimator;

    /// <summary>Creates an estimator of the <paramref name="quantile"/>-quantile.</summary>
    /// <param name="quantile">The quantile, strictly between 0 and 1: 0.5 for the median.</param>
    public StreamingQuantile(double quantile) => _estimator = new P2Estimator(quantile);

    /// <summary>Gets the quantile being estimated.</summary>
    public double Quantile => _estimator.Quantile;

    /// <summary>Gets the number of finite observations.</summary>
    public long Count => _estimator.Count;

    /// <summary>Gets the estimate; <see cref="double.NaN"/> before the first observation.</summary>
    public double Estimate => _estimator.Estimate;

    /// <summary>Adds an observation.</summary>
    /// <param name="value">The observation; ignored when not finite.</param>
    public void Add(double value) => _estimator.Add(value);

    internal void WriteState(State.StateWriter writer) => _estimator.WriteState(writer);

    internal void ReadState(ref State.StateReader reader) => _estimator.ReadState(ref reader);
}

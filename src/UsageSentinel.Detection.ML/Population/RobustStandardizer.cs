using System.Runtime.CompilerServices;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// Per-feature robust z-scores: (x − median) / (1.4826 × MAD), clamped, so that features in dollars and features in
/// counts weigh alike and one wild value cannot dominate. Immutable.
/// </summary>
internal sealed class RobustStandardizer
{
    /// <summary>Makes the MAD of a normal distribution its standard deviation.</summary>
    private const double MadToSigma = 1.482_602_218_505_602;

    /// <summary>Makes the mean absolute deviation of a normal distribution its standard deviation (√(π/2)).</summary>
    private const double MeanAbsoluteDeviationToSigma = 1.253_314_137_315_500_3;

    private readonly double[] _center;
    private readonly double[] _inverseScale;
    private readonly double _clamp;

    private RobustStandardizer(double[] center, double[] inverseScale, double clamp)
    {
        _center = center;
        _inverseScale = inverseScale;
        _clamp = clamp;
    }

    public int FeatureCount => _center.Length;

    public ReadOnlySpan<double> Center => _center;

    public ReadOnlySpan<double> InverseScale => _inverseScale;

    /// <summary>Learns medians and scales (at least <paramref name="minimumScale"/>) from the rows. Non-finite values are left out of the statistics.</summary>
    public static RobustStandardizer Fit(IReadOnlyList<float[]> rows, int featureCount, double clamp, double minimumScale, CancellationToken cancellationToken)
    {
        var center = new double[featureCount];
        var inverseScale = new double[featureCount];
        var column = new double[rows.Count];
        for (var feature = 0; feature < featureCount; feature++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = 0;
            for (var row = 0; row < rows.Count; row++)
            {
                double value = rows[row][feature];
                if (double.IsFinite(value))
                {
                    column[count++] = value;
                }
            }

            if (count == 0)
            {
                inverseScale[feature] = 1;
                continue;
            }

            var values = column.AsSpan(0, count);
            var median = QuickSelect.Median(values);
            var absoluteDeviationSum = 0.0;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Math.Abs(values[i] - median);
                absoluteDeviationSum += values[i];
            }

            var scale = MadToSigma * QuickSelect.Median(values);
            if (!(scale > 0))
            {
                // Mostly one value (e.g. zero for accounts without GPUs): the MAD is 0, the mean deviation is not.
                scale = MeanAbsoluteDeviationToSigma * absoluteDeviationSum / count;
            }

            // A feature (nearly) constant among peers would make any small change an extreme outlier.
            scale = Math.Max(scale, minimumScale);
            center[feature] = median;
            inverseScale[feature] = scale > 0 && double.IsFinite(scale) ? 1 / scale : 1;
        }

        return new RobustStandardizer(center, inverseScale, clamp);
    }

    /// <summary>Standardises one feature value; NaN becomes the median, infinities the clamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Standardize(int feature, float value)
    {
        var z = (value - _center[feature]) * _inverseScale[feature];
        return double.IsNaN(z) ? 0 : Math.Clamp(z, -_clamp, _clamp);
    }

    public void Standardize(ReadOnlySpan<float> features, Span<float> destination)
    {
        for (var i = 0; i < features.Length; i++)
        {
            destination[i] = (float)Standardize(i, features[i]);
        }
    }
}

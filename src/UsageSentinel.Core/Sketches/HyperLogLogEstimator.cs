namespace UsageSentinel.Core.Sketches;

/// <summary>
/// Cardinality from a HyperLogLog register histogram with the improved estimator of O. Ertl,
/// "New cardinality estimation algorithms for HyperLogLog sketches" (2017).
/// </summary>
/// <remarks>
/// Unlike the original estimator it needs no switch to linear counting nor empirical bias tables: one formula is
/// nearly unbiased from a single value up to the register saturation limit, with relative standard error
/// about 1.04/√m. Saturated registers (rank at the cap) are handled by the τ term, which makes narrow
/// (4-bit) registers safe.
/// </remarks>
internal static class HyperLogLogEstimator
{
    private static readonly double AlphaInfinity = 1 / (2 * Math.Log(2));

    /// <summary>Estimates the cardinality.</summary>
    /// <param name="counts">
    /// <c>counts[k]</c> is the number of registers holding rank <c>k</c>; the last index is the saturated rank.
    /// </param>
    /// <param name="registers">The number of registers, <c>m</c>; the sum of <paramref name="counts"/>.</param>
    /// <returns>
    /// The estimated number of distinct values; 0 when every register is empty; at most α·m·2^cap (about 3 million for
    /// 128 registers capped at rank 15), reached when every register is saturated.
    /// </returns>
    public static double Estimate(ReadOnlySpan<int> counts, int registers)
    {
        if (counts[0] == registers)
        {
            return 0;
        }

        double m = registers;
        var saturated = counts.Length - 1;
        var z = m * Tau(1 - (counts[saturated] / m));
        for (var k = saturated - 1; k >= 1; k--)
        {
            z = 0.5 * (z + counts[k]);
        }

        z += m * Sigma(counts[0] / m);

        // Every register saturated means "beyond range": cap at the estimate of all registers exactly at the cap.
        z = Math.Max(z, m * Math.ScaleB(1, -saturated));
        return AlphaInfinity * m * m / z;
    }

    private static double Sigma(double x)
    {
        if (x == 1)
        {
            return double.PositiveInfinity;
        }

        var y = 1.0;
        var z = x;
        double previous;
        do
        {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        }
        while (z != previous);

        return z;
    }

    private static double Tau(double x)
    {
        if (x == 0 || x == 1)
        {
            return 0;
        }

        var y = 1.0;
        var z = 1 - x;
        double previous;
        do
        {
            x = Math.Sqrt(x);
            previous = z;
            y *= 0.5;
            var gap = 1 - x;
            z -= gap * gap * y;
        }
        while (z != previous);

        return z / 3;
    }
}

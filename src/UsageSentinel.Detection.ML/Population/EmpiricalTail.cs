namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// Turns a raw score into the share of the training population that scored at least as high, with +1 smoothing:
/// (#{training ≥ s} + 1) / (n + 1). Keeps the highest scores exactly and quantiles of the rest, so memory is bounded
/// and the small probabilities that raise anomalies stay exact. Immutable.
/// </summary>
internal sealed class EmpiricalTail
{
    private readonly double[] _values;
    private readonly int[] _ranks;
    private readonly int _count;

    private EmpiricalTail(double[] values, int[] ranks, int count)
    {
        _values = values;
        _ranks = ranks;
        _count = count;
    }

    /// <summary>Gets the number of training scores.</summary>
    public int Count => _count;

    /// <summary>Gets the number of scores kept.</summary>
    public int PointCount => _values.Length;

    /// <summary>Builds the calibration from the training scores.</summary>
    /// <param name="sortedScores">All training scores, ascending, finite; at least one.</param>
    /// <param name="points">How many top scores to keep exactly, and how many quantiles of the rest.</param>
    public static EmpiricalTail Create(ReadOnlySpan<double> sortedScores, int points)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sortedScores.Length);
        var n = sortedScores.Length;
        int[] ranks;
        if (n <= 2 * points)
        {
            ranks = new int[n];
            for (var i = 0; i < n; i++)
            {
                ranks[i] = i;
            }
        }
        else
        {
            // Quantiles of the bulk at ranks 0 .. n − points − 1, then the top `points` scores one by one.
            ranks = new int[2 * points];
            var bulkTop = n - points - 1;
            for (var i = 0; i < points; i++)
            {
                ranks[i] = (int)((long)i * bulkTop / (points - 1));
            }

            for (var i = 0; i < points; i++)
            {
                ranks[points + i] = n - points + i;
            }
        }

        var values = new double[ranks.Length];
        for (var i = 0; i < ranks.Length; i++)
        {
            values[i] = sortedScores[ranks[i]];
        }

        return new EmpiricalTail(values, ranks, n);
    }

    /// <summary>Gets the smoothed share of training scores at least <paramref name="score"/>, in (0, 1].</summary>
    public double TailProbability(double score)
    {
        var values = _values.AsSpan();

        // First kept value ≥ score.
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (values[mid] < score)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        double below;
        if (lo == values.Length)
        {
            below = _count;
        }
        else if (lo == 0)
        {
            below = 0;
        }
        else
        {
            // values[lo − 1] < score ≤ values[lo]: between 1 + ranks[lo − 1] and ranks[lo] training scores are below.
            var previous = _ranks[lo - 1];
            var gap = _ranks[lo] - previous - 1;
            var fraction = (score - values[lo - 1]) / (values[lo] - values[lo - 1]);
            below = previous + 1 + (gap * fraction);
        }

        return (_count - below + 1) / (_count + 1.0);
    }
}

using System.Numerics;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>Order statistics in linear expected time, for medians of a million values without sorting them.</summary>
internal static class QuickSelect
{
    /// <summary>Reorders <paramref name="values"/> so that the k-th smallest is at index <paramref name="k"/>, smaller or equal ones before it.</summary>
    /// <returns>The k-th smallest value (0-based).</returns>
    public static double Select(Span<double> values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);
        int lo = 0, hi = values.Length - 1;

        // Median-of-three pivots make bad rounds unlikely; past this many rounds, sort what is left (introselect).
        var rounds = (4 * BitOperations.Log2((uint)values.Length)) + 8;
        while (hi > lo)
        {
            if (--rounds < 0)
            {
                values[lo..(hi + 1)].Sort();
                return values[k];
            }

            var mid = lo + ((hi - lo) >> 1);
            SortThree(values, lo, mid, hi);
            var pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            // Now values[lo..j] ≤ pivot ≤ values[i..hi], and anything strictly between j and i equals the pivot.
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    /// <summary>Gets the median, reordering <paramref name="values"/>.</summary>
    public static double Median(Span<double> values)
    {
        var middle = values.Length / 2;
        var upper = Select(values, middle);
        if (values.Length % 2 == 1)
        {
            return upper;
        }

        var lower = values[0];
        foreach (var value in values[..middle])
        {
            lower = Math.Max(lower, value);
        }

        return (lower + upper) / 2;
    }

    private static void SortThree(Span<double> values, int a, int b, int c)
    {
        if (values[b] < values[a])
        {
            (values[a], values[b]) = (values[b], values[a]);
        }

        if (values[c] < values[a])
        {
            (values[a], values[c]) = (values[c], values[a]);
        }

        if (values[c] < values[b])
        {
            (values[b], values[c]) = (values[c], values[b]);
        }
    }
}

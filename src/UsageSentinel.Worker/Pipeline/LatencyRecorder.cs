namespace UsageSentinel.Worker.Pipeline;

/// <summary>
/// Processing latencies (consume to offset stored) of one status interval, in log-spaced buckets of about 9 %
/// from 0.01 ms to 10 minutes, for the p50 and p99 of the health metrics. Used by the consume thread only; no
/// allocation per record.
/// </summary>
internal sealed class LatencyRecorder
{
    private const double MinMs = 0.01;
    private const int BucketsPerDoubling = 8;
    private const int Buckets = 26 * BucketsPerDoubling;
    private readonly long[] _counts = new long[Buckets];
    private long _total;

    /// <summary>Records one latency.</summary>
    /// <param name="milliseconds">The latency.</param>
    public void Record(double milliseconds)
    {
        var bucket = milliseconds <= MinMs ? 0 : (int)Math.Min(Buckets - 1, Math.Log2(milliseconds / MinMs) * BucketsPerDoubling);
        _counts[bucket]++;
        _total++;
    }

    /// <summary>Returns the p50 and p99 of what was recorded since the last call (upper bucket bounds) and starts over.</summary>
    /// <returns>The percentiles in milliseconds; zeros when nothing was recorded.</returns>
    public (double P50, double P99) TakePercentiles()
    {
        if (_total == 0)
        {
            return (0, 0);
        }

        var p50 = Percentile(0.50);
        var p99 = Percentile(0.99);
        Array.Clear(_counts);
        _total = 0;
        return (p50, p99);
    }

    private double Percentile(double quantile)
    {
        var rank = (long)Math.Ceiling(quantile * _total);
        long seen = 0;
        for (var b = 0; b < Buckets; b++)
        {
            seen += _counts[b];
            if (seen >= rank)
            {
                return MinMs * Math.Pow(2, (b + 1) / (double)BucketsPerDoubling);
            }
        }

        return MinMs * Math.Pow(2, Buckets / (double)BucketsPerDoubling);
    }
}

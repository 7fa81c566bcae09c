namespace UsageSentinel.Influx.Buffering;

/// <summary>Exponential backoff with "equal jitter": half the capped delay plus a random share of the other half.</summary>
internal sealed class RetryBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _failures;

    /// <summary>Returns the delay before the next attempt and counts the failure.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var capped = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }

    /// <summary>Starts over after a success.</summary>
    public void Reset() => _failures = 0;
}

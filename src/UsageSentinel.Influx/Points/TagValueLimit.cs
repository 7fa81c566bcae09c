using System.Collections.Concurrent;

namespace UsageSentinel.Influx.Points;

/// <summary>Admits at most <c>capacity</c> distinct values of a tag, so its series cardinality stays bounded. Thread-safe.</summary>
internal sealed class TagValueLimit(int capacity)
{
    private readonly ConcurrentDictionary<string, byte> _admitted = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Returns whether <paramref name="value"/> was admitted before or fits under the limit now.</summary>
    public bool TryAdmit(string value)
    {
        if (_admitted.ContainsKey(value))
        {
            return true;
        }

        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        if (!_admitted.TryAdd(value, 0))
        {
            // Another thread admitted the same value first.
            Interlocked.Decrement(ref _count);
        }

        return true;
    }
}

namespace UsageSentinel.Core.Behaviour;

/// <summary>
/// Distinct values seen within a sliding window of event time, exact up to <see cref="Capacity"/> values (then it
/// forgets the least recently seen): the resale signals only need to tell a handful from dozens. Values are kept as
/// 64-bit hashes with their last-seen time. Owned by one loop.
/// </summary>
internal sealed class RecentDistinct(int windowDays)
{
    /// <summary>The most values remembered.</summary>
    public const int Capacity = 64;

    private readonly long _windowTicks = windowDays * TimeSpan.TicksPerDay;
    private ulong[]? _hashes;
    private long[]? _seen;
    private int _count;

    /// <summary>Adds a value seen at <paramref name="ticks"/>.</summary>
    public void Add(string value, long ticks) => Add(Hash(value), ticks);

    /// <summary>Adds a hashed value seen at <paramref name="ticks"/>.</summary>
    public void Add(ulong hash, long ticks)
    {
        _hashes ??= new ulong[4];
        _seen ??= new long[4];
        var oldest = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_hashes[i] == hash)
            {
                _seen[i] = Math.Max(_seen[i], ticks);
                return;
            }

            if (_seen[i] < _seen[oldest])
            {
                oldest = i;
            }
        }

        if (_count < _hashes.Length)
        {
            _hashes[_count] = hash;
            _seen[_count++] = ticks;
            return;
        }

        if (_count < Capacity)
        {
            Array.Resize(ref _hashes, Math.Min(Capacity, _hashes.Length * 2));
            Array.Resize(ref _seen, _hashes.Length);
            _hashes[_count] = hash;
            _seen[_count++] = ticks;
            return;
        }

        if (ticks > _seen[oldest])
        {
            _hashes[oldest] = hash;
            _seen[oldest] = ticks;
        }
    }

    /// <summary>Counts the values seen within the window that ends at <paramref name="nowTicks"/>.</summary>
    public int Count(long nowTicks)
    {
        var from = nowTicks - _windowTicks;
        var count = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_seen![i] > from)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes.</summary>
    public static ulong Hash(string value)
    {
        unchecked
        {
            var hash = 14695981039346656037UL;
            foreach (var c in value)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return hash;
        }
    }
}

using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Engine;

/// <summary>
/// The most recent event ids, by 64-bit hash, in bounded memory: the oldest is forgotten first.
/// Owned by one detection loop.
/// </summary>
internal sealed class EventIdSet
{
    private readonly HashSet<ulong> _set;
    private readonly ulong[] _ring;
    private int _next;
    private int _count;

    public EventIdSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _set = new HashSet<ulong>(capacity);
        _ring = new ulong[capacity];
    }

    public int Count => _count;

    /// <summary>Adds the id; returns <see langword="false"/> when it was already present.</summary>
    /// <param name="eventId">The event id.</param>
    /// <returns>Whether the id is new.</returns>
    public bool Add(string eventId)
    {
        var hash = StableHash.Of(eventId);
        if (!_set.Add(hash))
        {
            return false;
        }

        if (_count == _ring.Length)
        {
            _set.Remove(_ring[_next]);
        }
        else
        {
            _count++;
        }

        _ring[_next] = hash;
        _next = (_next + 1) % _ring.Length;
        return true;
    }
}

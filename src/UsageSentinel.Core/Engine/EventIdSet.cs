using System.Numerics;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Engine;

/// <summary>
/// The most recent event ids, by 64-bit hash, in bounded memory: the oldest is forgotten first. Owned by one detection
/// loop.
/// </summary>
/// <remarks>
/// An open-addressing table of the hashes (linear probing, at most half full, deletion by backward shift) plus a ring
/// of them in arrival order. Every event adds one id and, once full, forgets the oldest; with a million ids the table
/// is far bigger than the CPU caches, so each touch is a cache miss. Linear probing keeps an add or a removal within
/// one or two cache lines, where a <see cref="HashSet{T}"/> chases a bucket, an entry and its chain. The table grows
/// (doubling) with the ids it holds, up to the capacity, so an engine that sees few events, such as one of many
/// partition engines in a worker, holds little; once full it allocates nothing more. A set that will fill (a replay's
/// one engine) can take its full size at once: no rehashing, and no short-lived large arrays for the collector.
/// </remarks>
internal sealed class EventIdSet
{
    private const int InitialSlots = 2_048;

    /// <summary>Marks an empty slot; a hash of 0 is stored as 1.</summary>
    private const ulong Empty = 0;

    private readonly int _capacity;
    private readonly int _maxSlots;
    private ulong[] _slots;
    private int _mask;
    private ulong[] _ring;
    private int _next;
    private int _count;

    /// <param name="capacity">The most recent ids kept.</param>
    /// <param name="presize">Whether to take the full size at once instead of growing with the ids.</param>
    public EventIdSet(int capacity, bool presize = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 29);
        _capacity = capacity;
        _maxSlots = (int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2);
        _slots = new ulong[presize ? _maxSlots : Math.Min(_maxSlots, InitialSlots)];
        _mask = _slots.Length - 1;
        _ring = new ulong[presize ? capacity : Math.Min(capacity, InitialSlots / 2)];
    }

    public int Count => _count;

    /// <summary>Adds the id; returns <see langword="false"/> when it was already present.</summary>
    /// <param name="eventId">The event id.</param>
    /// <returns>Whether the id is new.</returns>
    public bool Add(string eventId) => Add(StableHash.Of(eventId));

    /// <summary>Adds an id by its <see cref="StableHash"/>; returns <see langword="false"/> when it was already present.</summary>
    /// <param name="eventIdHash">The id's hash (<see cref="Events.AccountEvent.EventIdHash"/>).</param>
    /// <returns>Whether the id is new.</returns>
    public bool Add(ulong eventIdHash)
    {
        var key = KeyOf(eventIdHash);
        var slots = _slots;
        for (var i = Home(key); slots[i] != Empty; i = (i + 1) & _mask)
        {
            if (slots[i] == key)
            {
                return false;
            }
        }

        if (_count == _capacity)
        {
            Remove(_ring[_next]);
        }
        else
        {
            if (_count == _ring.Length)
            {
                // Not full yet, so the ids lie in order from slot 0 and the next goes to slot _count.
                Array.Resize(ref _ring, (int)Math.Min((long)_ring.Length * 2, _capacity));
            }

            _count++;
            if (_count * 2 > _slots.Length && _slots.Length < _maxSlots)
            {
                Grow();
            }
        }

        Insert(key);
        _ring[_next] = key;
        _next = (_next + 1) % _capacity;
        return true;
    }

    /// <summary>
    /// Fetches into the cache the slot an id will be looked up in, and the slot of the id that the add
    /// <paramref name="ahead"/> adds from now will forget: both are cache misses in a set bigger than the caches.
    /// </summary>
    /// <param name="eventIdHash">The id's hash.</param>
    /// <param name="ahead">How many adds come before this id's (0: it is next).</param>
    public void Prefetch(ulong eventIdHash, int ahead)
    {
        CachePrefetch.At(ref _slots[Home(KeyOf(eventIdHash))]);
        if (_count == _capacity)
        {
            var forgotten = _ring[(int)(((long)_next + ahead) % _capacity)];
            CachePrefetch.At(ref _slots[Home(forgotten)]);
        }
    }

    /// <summary>The key a hash is stored as: 0 marks an empty slot, so a hash of 0 is stored as 1.</summary>
    private static ulong KeyOf(ulong eventIdHash) => eventIdHash == Empty ? 1 : eventIdHash;

    private int Home(ulong key) => unchecked((int)key) & _mask;

    private void Insert(ulong key)
    {
        var i = Home(key);
        while (_slots[i] != Empty)
        {
            i = (i + 1) & _mask;
        }

        _slots[i] = key;
    }

    private void Remove(ulong key)
    {
        var i = Home(key);
        while (_slots[i] != key)
        {
            i = (i + 1) & _mask;
        }

        // Backward shift: move up every later key of the run that would no longer be found past the hole.
        _slots[i] = Empty;
        for (var j = (i + 1) & _mask; _slots[j] != Empty; j = (j + 1) & _mask)
        {
            var home = Home(_slots[j]);
            var staysPut = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!staysPut)
            {
                _slots[i] = _slots[j];
                _slots[j] = Empty;
                i = j;
            }
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (var key in old)
        {
            if (key != Empty)
            {
                Insert(key);
            }
        }
    }
}

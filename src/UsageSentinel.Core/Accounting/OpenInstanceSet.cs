namespace UsageSentinel.Core.Accounting;

/// <summary>
/// The open instances of one account by instance id: held inline in <see cref="AccountState"/>, the instances by value in
/// one array, in no particular order (a removal moves the last instance into the gap).
/// </summary>
/// <remarks>
/// Most accounts run a handful of instances, which a scan of the array finds sooner than a hash lookup and which cost one
/// object, where a dictionary of instance objects cost five or more (dictionary, buckets, entries, one per instance) for
/// the collector to trace and copy. An account that runs many at once gets an index by id from
/// <see cref="IndexedFrom"/> instances on, so a launch or termination never scans far.
/// </remarks>
internal struct OpenInstanceSet
{
    /// <summary>The count of instances from which lookups go through an index by id.</summary>
    public const int IndexedFrom = 16;

    private OpenInstance[]? _items;
    private Dictionary<string, int>? _index;

    /// <summary>Gets how many instances are open.</summary>
    public int Count { get; private set; }

    /// <summary>Gets whether storage exists (an instance was ever open), e.g. to check that a restore of none created none.</summary>
    public readonly bool HasStorage => _items is not null;

    /// <summary>Gets the open instances, in no particular order; valid until the set changes.</summary>
    public readonly ReadOnlySpan<OpenInstance> Items => _items.AsSpan(0, Count);

    /// <summary>Returns whether an instance with id <paramref name="instanceId"/> is open.</summary>
    public readonly bool Contains(string instanceId) => IndexOf(instanceId) >= 0;

    /// <summary>Adds <paramref name="instance"/>; returns false, changing nothing, when its id is open already.</summary>
    public bool TryAdd(in OpenInstance instance)
    {
        if (IndexOf(instance.InstanceId) >= 0)
        {
            return false;
        }

        if (_items is null || _items.Length == Count)
        {
            Array.Resize(ref _items, Math.Max(4, 2 * Count));
        }

        _items[Count] = instance;
        _index?.Add(instance.InstanceId, Count);
        Count++;
        if (_index is null && Count >= IndexedFrom)
        {
            _index = new Dictionary<string, int>(2 * IndexedFrom, StringComparer.Ordinal);
            for (var i = 0; i < Count; i++)
            {
                _index.Add(_items[i].InstanceId, i);
            }
        }

        return true;
    }

    /// <summary>Removes the instance with id <paramref name="instanceId"/>; returns whether it was open, and it.</summary>
    public bool Remove(string instanceId, out OpenInstance removed)
    {
        var at = IndexOf(instanceId);
        if (at < 0)
        {
            removed = default;
            return false;
        }

        var items = _items!;
        removed = items[at];
        var last = Count - 1;
        if (at != last)
        {
            items[at] = items[last];
            if (_index is not null)
            {
                _index[items[at].InstanceId] = at;
            }
        }

        items[last] = default;
        _index?.Remove(instanceId);
        Count = last;
        if (Count == 0)
        {
            _index = null; // an idle account keeps the small array, not the index of its busiest hour.
        }

        return true;
    }

    private readonly int IndexOf(string instanceId)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(instanceId, out var at) ? at : -1;
        }

        var items = _items;
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(items![i].InstanceId, instanceId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

namespace UsageSentinel.Core.Accounting;

/// <summary>
/// Co-located capacity of one account: instances in the same region and placement group, or launched in the
/// same region close together. Owned by one detection loop.
/// </summary>
internal sealed class ComputeRun
{
    private readonly List<string> _evidence = new(MaxEvidence);
    private ComputeAccrual _compute = new();

    /// <summary>The most evidence event ids kept per run.</summary>
    public const int MaxEvidence = 8;

    public ComputeRun(string key, string region, string? placementGroup, long startTicks)
    {
        Key = key;
        Region = region;
        PlacementGroup = placementGroup;
        StartTicks = startTicks;
        LastLaunchTicks = startTicks;
    }

    public string Key { get; }

    public string Region { get; }

    public string? PlacementGroup { get; }

    public long StartTicks { get; private set; }

    public long LastLaunchTicks { get; set; }

    /// <summary>Gets or sets when the last instance stopped; <see cref="long.MinValue"/> while instances run.</summary>
    public long EndedTicks { get; set; } = long.MinValue;

    public int OpenInstances { get; set; }

    public ref ComputeAccrual Compute => ref _compute;

    /// <summary>Gets or sets the tiers crossed, one bit per tier index.</summary>
    public int CrossedMask { get; set; }

    /// <summary>Gets or sets the tiers projected, one bit per tier index.</summary>
    public int ProjectedMask { get; set; }

    /// <summary>Gets or sets whether an incident was opened for this run.</summary>
    public bool IncidentOpen { get; set; }

    public IReadOnlyList<string> Evidence => _evidence;

    public void MarkStarted(long ticks) => StartTicks = Math.Min(StartTicks, ticks);

    public void AddEvidence(string eventId)
    {
        if (_evidence.Count < MaxEvidence)
        {
            _evidence.Add(eventId);
        }
    }
}

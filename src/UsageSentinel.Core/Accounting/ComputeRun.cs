namespace UsageSentinel.Core.Accounting;

/// <summary>
/// Co-located capacity of one account: instances in the same region and placement group, or launched in the
/// same region close together. Owned by one detection loop.
/// </summary>
internal sealed class ComputeRun
{
    /// <summary>The most evidence event ids kept per run.</summary>
    public const int MaxEvidence = 8;

    // Evidence held inline and the key built when asked for (an anomaly, a snapshot): a list, its array and a key
    // string made three more objects per run for the collector to trace and copy, for what is read rarely.
    private readonly string? _key;
    private readonly string? _firstInstanceId;
    private EvidenceIds _evidence;
    private int _evidenceCount;
    private ComputeAccrual _compute = new();

    /// <summary>Initializes a new instance of the <see cref="ComputeRun"/> class with a known key (as restored).</summary>
    public ComputeRun(string key, string region, string? placementGroup, long startTicks)
        : this(key, null, region, placementGroup, startTicks)
    {
    }

    private ComputeRun(string? key, string? firstInstanceId, string region, string? placementGroup, long startTicks)
    {
        _key = key;
        _firstInstanceId = firstInstanceId;
        Region = region;
        PlacementGroup = placementGroup;
        StartTicks = startTicks;
        LastLaunchTicks = startTicks;
    }

    /// <summary>Gets the run's key: region, placement group when there is one, and the instance it started with.</summary>
    public string Key => _key ?? (PlacementGroup is null ? $"{Region}/{_firstInstanceId}" : $"{Region}/{PlacementGroup}/{_firstInstanceId}");

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

    /// <summary>Gets the ids of the first events of the run, at most <see cref="MaxEvidence"/>.</summary>
    public ReadOnlySpan<string> Evidence => ((ReadOnlySpan<string>)_evidence)[.._evidenceCount];

    /// <summary>Starts a run with the launch of <paramref name="instanceId"/>, which names it.</summary>
    public static ComputeRun StartedBy(string instanceId, string region, string? placementGroup, long startTicks) =>
        new(null, instanceId, region, placementGroup, startTicks);

    public void MarkStarted(long ticks) => StartTicks = Math.Min(StartTicks, ticks);

    public void AddEvidence(string eventId)
    {
        if (_evidenceCount < MaxEvidence)
        {
            _evidence[_evidenceCount++] = eventId;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(MaxEvidence)]
    private struct EvidenceIds
    {
        private string _first;
    }
}

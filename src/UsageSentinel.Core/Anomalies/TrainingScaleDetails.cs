namespace UsageSentinel.Core.Anomalies;

/// <summary>Compute estimates behind a <c>training_scale</c> anomaly.</summary>
public sealed record TrainingScaleDetails
{
    /// <summary>Gets <c>run</c> for one co-located run, <c>account_rolling</c> for the account's rolling-window total.</summary>
    public required string Scope { get; init; }

    /// <summary>Gets <c>crossed</c> or <c>projected</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the run key (region / placement group / first instance), for run scope.</summary>
    public string? RunKey { get; init; }

    /// <summary>Gets the region of the run.</summary>
    public string? Region { get; init; }

    /// <summary>Gets the placement group of the run, when any.</summary>
    public string? PlacementGroup { get; init; }

    /// <summary>Gets the start of the window the estimate covers.</summary>
    public required DateTimeOffset WindowStart { get; init; }

    /// <summary>Gets the end of the window the estimate covers.</summary>
    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>Gets the tier (FLOP) crossed or projected.</summary>
    public required double TierFlop { get; init; }

    /// <summary>Gets the estimated training compute at the assumed utilisation.</summary>
    public required double EstimatedFlop { get; init; }

    /// <summary>Gets the estimate at the low end of the utilisation band.</summary>
    public required double EstimatedFlopLow { get; init; }

    /// <summary>Gets the estimate at the high end of the utilisation band.</summary>
    public required double EstimatedFlopHigh { get; init; }

    /// <summary>Gets the assumed utilisation.</summary>
    public required double Utilization { get; init; }

    /// <summary>Gets the GPU-hours per GPU model in the window.</summary>
    public required IReadOnlyList<KeyValuePair<string, double>> GpuHoursByModel { get; init; }

    /// <summary>Gets the GPUs running at <c>event_time</c>.</summary>
    public required int ConcurrentGpus { get; init; }

    /// <summary>Gets the most GPUs running at once in the window.</summary>
    public required int PeakConcurrentGpus { get; init; }

    /// <summary>Gets the cluster's current dense BF16 peak, FLOP/s.</summary>
    public required double ClusterPeakFlopsPerSecond { get; init; }

    /// <summary>Gets the current estimated training rate, FLOP/s at the assumed utilisation.</summary>
    public required double EstimatedFlopsPerSecond { get; init; }

    /// <summary>Gets when the current rate crosses <see cref="TierFlop"/>, for projections.</summary>
    public DateTimeOffset? ProjectedCrossingAt { get; init; }

    /// <summary>Gets whether the account is allowlisted (reported at lower severity).</summary>
    public bool Allowlisted { get; init; }

    /// <summary>Gets up to a few ids of the events behind the finding.</summary>
    public required IReadOnlyList<string> EvidenceEventIds { get; init; }
}

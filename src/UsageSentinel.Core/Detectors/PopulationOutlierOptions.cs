using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Core.Detectors;

/// <summary>Options of the <c>population_outlier</c> detector (section <c>Detection:PopulationOutlier</c>).</summary>
public sealed class PopulationOutlierOptions
{
    /// <summary>Gets or sets whether accounts are scored against their peers (needs a trained population model).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how often, in event time, each loop hands a snapshot of its accounts' features for retraining.</summary>
    /// <value>The default value is 1 day.</value>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan RetrainInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets the fewest accounts with GPU use in a snapshot for a model to be trained on it.</summary>
    /// <value>The default value is 200.</value>
    [Range(10, 100_000_000)]
    public int MinimumAccounts { get; set; } = 200;

    /// <summary>Gets or sets the most accounts one loop puts in a snapshot; a larger loop takes every k-th account.</summary>
    /// <value>The default value is 250,000.</value>
    [Range(100, 100_000_000)]
    public int MaxSnapshotAccounts { get; set; } = 250_000;

    /// <summary>
    /// Gets or sets the tail probability (share of the training accounts at least as unusual) at or below which an
    /// account is an outlier. The model's resolution is 1 / (training accounts + 1).
    /// </summary>
    /// <value>The default value is 0.01.</value>
    [Range(1e-9, 0.5)]
    public double TailProbability { get; set; } = 0.01;

    /// <summary>
    /// Gets or sets the smallest distance from the peers, in robust standard deviations off the subspace that
    /// describes them (the model's raw score), for an outlier. The tail probability alone always finds someone: the
    /// most unusual 0.2 % of any population; the distance asks that they also be far from it.
    /// </summary>
    /// <value>The default value is 6.</value>
    [Range(0.0, 1_000.0)]
    public double MinimumDistance { get; set; } = 6;

    /// <summary>Gets or sets in how many consecutive snapshots an account must be an outlier before it is reported.</summary>
    /// <value>The default value is 1.</value>
    [Range(1, 100)]
    public int SustainedEvaluations { get; set; } = 1;

    /// <summary>Gets or sets how many consecutive snapshots back inside the population resolve an open finding.</summary>
    /// <value>The default value is 2.</value>
    [Range(1, 100)]
    public int ResolveAfterEvaluations { get; set; } = 2;

    /// <summary>
    /// Gets or sets whether an outlier needs corroboration to reach medium severity (an alert): resale / proxy
    /// evidence of at least half its alert level, restricted destinations in its access, or another open incident.
    /// Without it the finding stays low severity, for the record and the dashboards: being unusual among peers is
    /// not by itself a reason to page anyone.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireCorroboration { get; set; } = true;

    /// <summary>Gets or sets how many features the explanation lists, by contribution.</summary>
    /// <value>The default value is 5.</value>
    [Range(1, 32)]
    public int ExplainedFeatures { get; set; } = 5;
}

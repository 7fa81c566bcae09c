using UsageSentinel.Core.Detectors;
using UsageSentinel.Core.Linking;

using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Core.Engine;

/// <summary>Options of the detection engine (section <c>Detection</c>).</summary>
public sealed class DetectionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Detection";

    /// <summary>Gets or sets how far behind the newest event time an event may arrive and still be processed in event-time order.</summary>
    /// <value>The default value is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how many recent event ids each detection loop remembers to drop duplicates.</summary>
    /// <value>The default value is 1,048,576.</value>
    [Range(1_024, 100_000_000)]
    public int DedupCapacity { get; set; } = 1 << 20;

    /// <summary>
    /// Gets or sets the most accounts one detection loop keeps in memory; 0 for no cap. Beyond it the coldest accounts
    /// without running GPUs are evicted to the state store (10 % at a time) and taken back on their next event, so a
    /// new account is never dropped; when every account is busy the cap is exceeded and counted.
    /// </summary>
    /// <value>The default value is 0 (no cap).</value>
    [Range(0, int.MaxValue)]
    public int MaxTrackedAccounts { get; set; }

    /// <summary>Gets or sets how often, in event time, accounts with running instances are re-evaluated.</summary>
    /// <value>The default value is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets whether an hourly sweep may pass over a quiet account: one with no event since its last evaluation, no
    /// finding open, not in a link group, and whose figures cannot reach an alert level before a bound each detector
    /// computes (its next compute tier at the current rate, resale evidence more than the duty-cycle signal below the
    /// alert level, GPU usage steady). Its hourly bookkeeping (accrual, duty hours, usage baseline) is still carried
    /// forward hour by hour, at its next event or evaluation; every account is evaluated at the daily boundaries where
    /// peers learn and the population model retrains. Findings come at the same event times; what a passed-over account
    /// shows between evaluations (its resale evidence, its figures in the link graph) is as of its last evaluation. Off
    /// when the output wants every account's hourly usage (per-account metrics), or the interval is not an hour.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DeferQuietAccounts { get; set; } = true;

    /// <summary>Gets or sets the options of the <c>training_scale</c> detector.</summary>
    [Required]
    public TrainingScaleOptions TrainingScale { get; set; } = new();

    /// <summary>Gets or sets the options of account linking and the <c>linked_accounts</c> detector.</summary>
    [Required]
    public LinkingOptions Linking { get; set; } = new();

    /// <summary>Gets or sets the options of the <c>usage_deviation</c> and <c>billing_deviation</c> detectors.</summary>
    [Required]
    public DeviationOptions Deviation { get; set; } = new();

    /// <summary>Gets or sets the suppression rules.</summary>
    [Required]
    public SuppressionOptions Suppression { get; set; } = new();

    /// <summary>Gets or sets the options of the <c>population_outlier</c> detector.</summary>
    [Required]
    public PopulationOutlierOptions PopulationOutlier { get; set; } = new();

    /// <summary>Gets or sets the options of the <c>resale_proxy</c> detector.</summary>
    [Required]
    public ResaleProxyOptions ResaleProxy { get; set; } = new();
}

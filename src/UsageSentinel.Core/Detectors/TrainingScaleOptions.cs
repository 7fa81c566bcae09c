using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Core.Detectors;

/// <summary>Options of the <c>training_scale</c> detector (section <c>Detection:TrainingScale</c>).</summary>
public sealed class TrainingScaleOptions
{
    /// <summary>Gets or sets the assumed model FLOP utilisation of the dense BF16 peak.</summary>
    /// <value>The default value is 0.35.</value>
    [Range(0.01, 1.0)]
    public double Utilization { get; set; } = 0.35;

    /// <summary>Gets or sets the low end of the reported utilisation band.</summary>
    /// <value>The default value is 0.30.</value>
    [Range(0.01, 1.0)]
    public double UtilizationLow { get; set; } = 0.30;

    /// <summary>Gets or sets the high end of the reported utilisation band.</summary>
    /// <value>The default value is 0.40.</value>
    [Range(0.01, 1.0)]
    public double UtilizationHigh { get; set; } = 0.40;

    /// <summary>The tiers used when none are configured.</summary>
    public static readonly IReadOnlyList<double> DefaultTiersFlop = [1e23, 1e24, 1e25, 1e26];

    /// <summary>
    /// Gets or sets the compute tiers in FLOP. The lowest is the first that raises an anomaly. Empty means
    /// <see cref="DefaultTiersFlop"/> (configuration binding appends to a pre-filled array, so the default is applied later).
    /// </summary>
    /// <value>The default value is 1e23, 1e24, 1e25, 1e26.</value>
    [MaxLength(8)]
    public double[] TiersFlop { get; set; } = [];

    /// <summary>Gets the tiers in effect, ascending and distinct.</summary>
    public IReadOnlyList<double> EffectiveTiersFlop => TiersFlop.Length == 0 ? DefaultTiersFlop : [.. TiersFlop.Distinct().Order()];

    /// <summary>Gets or sets the window of an account's rolling total.</summary>
    /// <value>The default value is 90 days.</value>
    [Range(typeof(TimeSpan), "1.00:00:00", "366.00:00:00")]
    public TimeSpan RollingWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Gets or sets how close in time launches without a placement group in the same region must be to form one run.</summary>
    /// <value>The default value is 15 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CoLocationWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets how long a run may have no running instance and still resume as the same run.</summary>
    /// <value>The default value is 6 hours.</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan RunResumeGap { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Gets or sets the furthest ahead a crossing is projected. Further out, plans change too much to page anyone.</summary>
    /// <value>The default value is 30 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "366.00:00:00")]
    public TimeSpan ProjectionHorizon { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Gets or sets how many times its own age a run is assumed to go on at its current rate: a run that has lasted
    /// two days is projected at most eight days ahead. Keeps short bursts from projecting months.
    /// </summary>
    /// <value>The default value is 4.</value>
    [Range(0.1, 100.0)]
    public double ProjectionAgeMultiple { get; set; } = 4;

    /// <summary>Gets or sets the minimum age of a run before its rate is projected.</summary>
    /// <value>The default value is 6 hours.</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan MinProjectionAge { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Gets or sets how many severity bands allowlisted accounts are lowered by.</summary>
    /// <value>The default value is 2.</value>
    [Range(0, 3)]
    public int AllowlistSeverityReduction { get; set; } = 2;
}

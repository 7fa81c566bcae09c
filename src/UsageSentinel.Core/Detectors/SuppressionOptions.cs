namespace UsageSentinel.Core.Detectors;

/// <summary>Suppression rules (section <c>Detection:Suppression</c>).</summary>
public sealed class SuppressionOptions
{
    /// <summary>Gets or sets accounts whose anomalies are not emitted at all (counted as suppressed). Prefer the profile's <c>allowlisted</c>, which keeps a lower-severity record.</summary>
    public string[] Accounts { get; set; } = [];

    /// <summary>Gets or sets planned-activity windows: during them the account's usage and spend neither alert nor teach its baselines (a planned launch or migration).</summary>
    public PlannedActivity[] PlannedActivity { get; set; } = [];
}

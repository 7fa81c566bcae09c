namespace UsageSentinel.Core.Detectors;

/// <summary>A planned-activity window of one account.</summary>
public sealed class PlannedActivity
{
    /// <summary>Gets or sets the account.</summary>
    public string AccountId { get; set; } = string.Empty;

    /// <summary>Gets or sets the start of the window (event time).</summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>Gets or sets the end of the window (event time).</summary>
    public DateTimeOffset End { get; set; }

    /// <summary>Gets or sets why, for the record.</summary>
    public string? Note { get; set; }
}

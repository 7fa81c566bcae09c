namespace UsageSentinel.Core.Anomalies;

/// <summary>Severity band of an anomaly.</summary>
public enum Severity : byte
{
    /// <summary>Worth a look during working hours.</summary>
    Low,

    /// <summary>Review within a day.</summary>
    Medium,

    /// <summary>Review now.</summary>
    High,

    /// <summary>Page the on-call analyst.</summary>
    Critical,
}

namespace UsageSentinel.Core.Anomalies;

/// <summary>Where an incident (all anomalies sharing one <c>dedup_key</c>) stands.</summary>
public enum AnomalyStatus : byte
{
    /// <summary>The first anomaly of a finding.</summary>
    Open,

    /// <summary>The finding went on and changed (e.g. crossed a higher tier).</summary>
    Updated,

    /// <summary>The finding is over.</summary>
    Resolved,
}

using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Core.Detectors;

/// <summary>One account's <c>population_outlier</c> finding; created at its first scoring.</summary>
internal sealed class PopulationOutlierState
{
    /// <summary>Gets or sets the consecutive evaluations as an outlier.</summary>
    public int Flagged { get; set; }

    /// <summary>Gets or sets the consecutive evaluations back within the population.</summary>
    public int Quiet { get; set; }

    public bool IncidentOpen { get; set; }

    public int IncidentNumber { get; set; }

    public Severity Severity { get; set; }
}

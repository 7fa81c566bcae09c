namespace UsageSentinel.Simulation.Evaluation;

/// <summary>Detection quality over a labelled simulated population.</summary>
/// <param name="Scenarios">Per scenario.</param>
/// <param name="Detectors">Per detector.</param>
/// <param name="BenignAccounts">Benign accounts in the population.</param>
/// <param name="Days">Days of event time covered.</param>
/// <param name="AlertSeverity">The lowest severity that counts as an alert.</param>
/// <param name="Anomalies">Anomalies considered (resolutions excluded).</param>
public sealed record EvaluationReport(
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<DetectorResult> Detectors,
    int BenignAccounts,
    double Days,
    string AlertSeverity,
    int Anomalies)
{
    /// <summary>Gets false alerts of all detectors per 1,000 benign accounts per day.</summary>
    public double FalseAlertsPer1000AccountDays => Detectors.Sum(d => d.FalseAlertsPer1000AccountDays);
}

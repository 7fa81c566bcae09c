namespace UsageSentinel.Simulation.Evaluation;

/// <summary>How precise one detector's alerts were.</summary>
/// <param name="Detector">The detector.</param>
/// <param name="Alerts">Incidents (distinct dedup keys) that reached the alert severity.</param>
/// <param name="TrueAlerts">Of those, incidents about abusive accounts.</param>
/// <param name="Precision">True alerts / alerts.</param>
/// <param name="FalseAlerts">Incidents about benign accounts only.</param>
/// <param name="FalseAlertsPer1000AccountDays">False alerts per 1,000 benign accounts per day.</param>
public sealed record DetectorResult(string Detector, int Alerts, int TrueAlerts, double? Precision, int FalseAlerts, double FalseAlertsPer1000AccountDays);

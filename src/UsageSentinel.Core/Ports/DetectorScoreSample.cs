namespace UsageSentinel.Core.Ports;

/// <summary>A detector's score for an account at an event time, for <see cref="IMetricsWriter.WriteDetectorScore"/>.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Detector">The detector name, one of <see cref="Anomalies.DetectorNames"/>.</param>
/// <param name="EventTime">The event time of the evaluation.</param>
/// <param name="Score">The normalised score, 0..100.</param>
public readonly record struct DetectorScoreSample(string AccountId, string Detector, DateTimeOffset EventTime, double Score);

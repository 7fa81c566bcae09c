namespace UsageSentinel.Detection.ML.Population;

/// <summary>The outcome of one background training, for logs and metrics.</summary>
/// <param name="ModelVersion">The published model's version in the holder; 0 when the training failed.</param>
/// <param name="Accounts">The accounts in the snapshot.</param>
/// <param name="EventTime">The newest event time among the loops' snapshots.</param>
/// <param name="Elapsed">How long the training took.</param>
/// <param name="Error">Why the training failed; the previous model stays in use.</param>
public sealed record PopulationTrainingResult(long ModelVersion, int Accounts, DateTimeOffset EventTime, TimeSpan Elapsed, Exception? Error);

namespace UsageSentinel.Core.Anomalies;

/// <summary>One feature that explains an anomaly.</summary>
/// <param name="Feature">Feature name, snake_case, e.g. <c>estimated_training_flop</c>.</param>
/// <param name="Actual">The observed value.</param>
/// <param name="TypicalOrThreshold">The account's typical value, or the threshold crossed.</param>
/// <param name="Contribution">Share of the score this feature explains, 0..1.</param>
public sealed record RootCause(string Feature, double Actual, double TypicalOrThreshold, double Contribution);

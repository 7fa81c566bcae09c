namespace UsageSentinel.Core.Ports;

/// <summary>How unusual an account is among its peers.</summary>
/// <param name="RawScore">The model's own anomaly measure (e.g. reconstruction error), larger is more unusual.</param>
/// <param name="TailProbability">Share of the training population at least as unusual, 0..1; small is rare.</param>
public readonly record struct PopulationScore(double RawScore, double TailProbability);

namespace UsageSentinel.Core.Ports;

/// <summary>Scores one account against its peers. Owned by one detection loop; not thread-safe.</summary>
public interface IPopulationScorer
{
    /// <summary>Scores a feature vector without allocating.</summary>
    /// <param name="features">The account's features, <see cref="IPopulationModel.FeatureCount"/> long.</param>
    /// <param name="contributions">Receives each feature's share of the anomaly (sums to 1 when the score is above 0); same length as <paramref name="features"/>.</param>
    /// <returns>The score.</returns>
    PopulationScore Score(ReadOnlySpan<float> features, Span<float> contributions);
}

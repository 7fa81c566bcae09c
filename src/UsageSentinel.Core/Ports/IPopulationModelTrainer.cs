namespace UsageSentinel.Core.Ports;

/// <summary>Trains a population model on a snapshot of feature vectors (in the background, off the hot path).</summary>
public interface IPopulationModelTrainer
{
    /// <summary>Trains a model.</summary>
    /// <param name="population">One feature vector per account, all of <paramref name="featureCount"/> length.</param>
    /// <param name="featureCount">The vector length.</param>
    /// <param name="cancellationToken">Stops the training.</param>
    /// <returns>The trained model.</returns>
    IPopulationModel Train(IReadOnlyList<float[]> population, int featureCount, CancellationToken cancellationToken);
}

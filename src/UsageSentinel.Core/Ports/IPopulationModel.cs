namespace UsageSentinel.Core.Ports;

/// <summary>
/// A model of the account population trained on a snapshot of per-account feature vectors. Immutable and safe to
/// share between detection loops; each loop creates its own <see cref="IPopulationScorer"/>.
/// </summary>
public interface IPopulationModel
{
    /// <summary>Gets the length of the feature vectors the model scores.</summary>
    int FeatureCount { get; }

    /// <summary>Gets a version that changes with every training, e.g. for logs and anomaly details.</summary>
    string Version { get; }

    /// <summary>Gets the number of accounts in the training snapshot.</summary>
    int TrainingSize { get; }

    /// <summary>Gets the typical value of a feature among the training accounts (their median), for explanations.</summary>
    /// <param name="feature">The feature index.</param>
    /// <returns>The typical value, in the feature's own units.</returns>
    double Typical(int feature);

    /// <summary>Creates a scorer for one detection loop. Scorers are not thread-safe.</summary>
    /// <returns>The scorer.</returns>
    IPopulationScorer CreateScorer();
}

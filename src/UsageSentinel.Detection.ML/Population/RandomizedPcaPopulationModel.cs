using UsageSentinel.Core.Ports;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// A population model from ML.NET's randomized PCA: an account is unusual when its standardised features are far
/// from the subspace that describes its peers. Immutable and thread-safe; scoring is plain arithmetic on the
/// parameters taken from ML.NET (no <c>PredictionEngine</c>).
/// </summary>
internal sealed class RandomizedPcaPopulationModel : IPopulationModel
{
    public RandomizedPcaPopulationModel(PcaResidual residual, EmpiricalTail calibration, string version)
    {
        Residual = residual;
        Calibration = calibration;
        Version = version;
    }

    public int FeatureCount => Residual.FeatureCount;

    public string Version { get; }

    public int TrainingSize => Calibration.Count;

    /// <summary>Gets the number of principal components in use (ML.NET's rank less any degenerate component).</summary>
    public int Rank => Residual.Rank;

    internal PcaResidual Residual { get; }

    internal EmpiricalTail Calibration { get; }

    public double Typical(int feature) => Residual.Standardizer.Center[feature];

    public IPopulationScorer CreateScorer() => new RandomizedPcaPopulationScorer(this);
}

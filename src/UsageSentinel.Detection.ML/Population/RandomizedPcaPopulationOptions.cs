using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>Options of the <c>population_outlier</c> model trained by <see cref="RandomizedPcaPopulationTrainer"/>.</summary>
public sealed class RandomizedPcaPopulationOptions
{
    /// <summary>
    /// Gets or sets the number of principal components that describe normal accounts. The model uses at most the
    /// feature count minus one.
    /// </summary>
    /// <value>The default value is 4.</value>
    [Range(1, 256)]
    public int Rank { get; set; } = 4;

    /// <summary>Gets or sets ML.NET's oversampling of the randomized SVD.</summary>
    /// <value>The default value is 20, ML.NET's default.</value>
    [Range(0, 256)]
    public int Oversampling { get; set; } = 20;

    /// <summary>Gets or sets the seed of ML.NET's context and trainer, so the same snapshot gives the same model.</summary>
    /// <value>The default value is 20260301.</value>
    [Range(0, int.MaxValue)]
    public int Seed { get; set; } = 20_260_301;

    /// <summary>
    /// Gets or sets the limit of a standardised feature, in robust standard deviations (1.4826 × MAD) from the
    /// median: one wild value says "unusual" without drowning every other feature.
    /// </summary>
    /// <value>The default value is 20.</value>
    [Range(1.0, 1_000.0)]
    public double ZScoreClamp { get; set; } = 20;

    /// <summary>
    /// Gets or sets the smallest spread of a feature, in its own units: a feature (nearly) constant among the peers
    /// otherwise turns a tiny change into an extreme outlier. The features are logs and shares, so 0.05 is a 5 % share
    /// or about a 5 % ratio.
    /// </summary>
    /// <value>The default value is 0.05.</value>
    [Range(0.0, 1_000.0)]
    public double MinimumScale { get; set; } = 0.05;

    /// <summary>
    /// Gets or sets the share of accounts farthest from the medians left out of the principal components' fit (they
    /// are still calibrated against): a few extreme accounts, e.g. a resale ring, would otherwise claim a component of
    /// their own and look normal.
    /// </summary>
    /// <value>The default value is 0.02.</value>
    [Range(0.0, 0.5)]
    public double TrimFraction { get; set; } = 0.02;

    /// <summary>
    /// Gets or sets the most accounts trained and calibrated on; a larger snapshot is thinned with a deterministic
    /// stride. 0 means no limit.
    /// </summary>
    /// <value>The default value is 0 (no limit): 1,000,000 accounts × 16 features train in a few seconds.</value>
    [Range(0, int.MaxValue)]
    public int MaxTrainingRows { get; set; }

    /// <summary>
    /// Gets or sets how many of the training accounts' scores the model keeps to turn a score into a tail
    /// probability: this many of the highest exactly, and as many quantiles of the rest.
    /// </summary>
    /// <value>The default value is 1024, i.e. at most 2048 numbers per model.</value>
    [Range(16, 1_000_000)]
    public int CalibrationPoints { get; set; } = 1_024;
}

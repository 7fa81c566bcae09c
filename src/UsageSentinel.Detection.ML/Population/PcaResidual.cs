namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// The math of a trained PCA anomaly model, without ML.NET on the scoring path: z = standardise(x), c = z − μ,
/// residual r = c − V Vᵀ c, where μ and the orthonormal rows of V come from ML.NET's <c>PcaModelParameters</c>.
/// Immutable and thread-safe; the caller supplies the scratch space.
/// </summary>
internal sealed class PcaResidual
{
    private readonly RobustStandardizer _standardizer;
    private readonly double[] _mean;
    private readonly double[] _basis;

    /// <param name="standardizer">Turns raw features into the z-scores the PCA was trained on.</param>
    /// <param name="mean">μ, the mean of the training z-scores, one per feature.</param>
    /// <param name="basis">V: <paramref name="rank"/> orthonormal rows of feature-count length, row-major.</param>
    /// <param name="rank">The number of rows of <paramref name="basis"/>.</param>
    public PcaResidual(RobustStandardizer standardizer, double[] mean, double[] basis, int rank)
    {
        _standardizer = standardizer;
        _mean = mean;
        _basis = basis;
        Rank = rank;
    }

    public int FeatureCount => _mean.Length;

    public int Rank { get; }

    public RobustStandardizer Standardizer => _standardizer;

    public ReadOnlySpan<double> Mean => _mean;

    public ReadOnlySpan<double> Basis => _basis;

    /// <summary>Computes the residual of one account.</summary>
    /// <param name="features">The raw features, <see cref="FeatureCount"/> long.</param>
    /// <param name="residual">Receives r, <see cref="FeatureCount"/> long.</param>
    /// <param name="projection">Scratch of <see cref="Rank"/> length; receives Vᵀ c.</param>
    /// <param name="centeredNormSquared">‖c‖², the squared distance from the mean before projection.</param>
    /// <returns>‖r‖², the squared reconstruction error.</returns>
    public double Compute(ReadOnlySpan<float> features, Span<double> residual, Span<double> projection, out double centeredNormSquared)
    {
        var featureCount = _mean.Length;
        var mean = _mean.AsSpan();
        residual = residual[..featureCount];
        projection = projection[..Rank];

        var centered = 0.0;
        for (var i = 0; i < residual.Length; i++)
        {
            var c = _standardizer.Standardize(i, features[i]) - mean[i];
            residual[i] = c;
            centered += c * c;
        }

        var basis = _basis.AsSpan();
        for (var k = 0; k < projection.Length; k++)
        {
            var row = basis.Slice(k * featureCount, featureCount);
            var dot = 0.0;
            for (var i = 0; i < row.Length; i++)
            {
                dot += row[i] * residual[i];
            }

            projection[k] = dot;
        }

        for (var k = 0; k < projection.Length; k++)
        {
            var row = basis.Slice(k * featureCount, featureCount);
            var t = projection[k];
            for (var i = 0; i < row.Length; i++)
            {
                residual[i] -= t * row[i];
            }
        }

        var error = 0.0;
        for (var i = 0; i < residual.Length; i++)
        {
            error += residual[i] * residual[i];
        }

        centeredNormSquared = centered;
        return error;
    }
}

namespace UsageSentinel.Detection.ML.Tests.Population;

/// <summary>
/// A seeded population of accounts in three clusters whose 12 features, on scales from cents to thousands, follow
/// two shared factors plus noise; an outlier is a normal account with one feature pushed away from the others.
/// </summary>
internal sealed class SyntheticPopulation
{
    public const int FeatureCount = 12;

    private const int Clusters = 3;
    private const int Factors = 2;
    private const double Noise = 0.15;

    private static readonly double[] Scales = [1, 1_000, 0.01, 50, 3, 200, 0.5, 7_500, 12, 0.1, 40, 2];

    private readonly double[,] _centers = new double[Clusters, FeatureCount];
    private readonly double[,] _loadings = new double[FeatureCount, Factors];
    private readonly Random _random;

    public SyntheticPopulation(int seed)
    {
        var world = new Random(1_234);
        for (var c = 0; c < Clusters; c++)
        {
            for (var j = 0; j < FeatureCount; j++)
            {
                _centers[c, j] = 2 * world.NextDouble();
            }
        }

        for (var j = 0; j < FeatureCount; j++)
        {
            for (var l = 0; l < Factors; l++)
            {
                _loadings[j, l] = world.NextDouble() - 0.5;
            }
        }

        _random = new Random(seed);
    }

    /// <summary>Gets how far an outlier's feature is pushed, in units of the noise-free feature spread (about 0.5).</summary>
    public static double Push => 4;

    public float[] Normal()
    {
        var cluster = _random.Next(Clusters);
        var factors = new double[Factors];
        for (var l = 0; l < Factors; l++)
        {
            factors[l] = Gaussian();
        }

        var features = new float[FeatureCount];
        for (var j = 0; j < FeatureCount; j++)
        {
            var unit = _centers[cluster, j] + (Noise * Gaussian());
            for (var l = 0; l < Factors; l++)
            {
                unit += _loadings[j, l] * factors[l];
            }

            features[j] = (float)(Scales[j] * (10 + unit));
        }

        return features;
    }

    public float[] Outlier(int feature)
    {
        var features = Normal();
        features[feature] += (float)(Scales[feature] * Push * (_random.Next(2) == 0 ? -1 : 1));
        return features;
    }

    public List<float[]> Normals(int count)
    {
        var rows = new List<float[]>(count);
        for (var i = 0; i < count; i++)
        {
            rows.Add(Normal());
        }

        return rows;
    }

    private double Gaussian()
    {
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

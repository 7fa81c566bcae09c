using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using UsageSentinel.Core.Ports;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// Trains the <c>population_outlier</c> model: robust standardisation of each feature, then ML.NET's randomized PCA
/// anomaly detector (<c>AnomalyDetection.Trainers.RandomizedPca</c>), whose mean and eigenvectors are copied into a
/// model that scores without ML.NET. Raw scores are calibrated against the training accounts' own scores.
/// Deterministic: the same snapshot and options give the same scores. Thread-safe; call it off the hot path.
/// </summary>
public sealed class RandomizedPcaPopulationTrainer : IPopulationModelTrainer
{
    private const int CancellationCheckInterval = 4_096;

    private readonly int _rank;
    private readonly int _oversampling;
    private readonly int _seed;
    private readonly double _zScoreClamp;
    private readonly double _minimumScale;
    private readonly double _trimFraction;
    private readonly int _maxTrainingRows;
    private readonly int _calibrationPoints;
    private long _trainings;

    /// <summary>Initializes a new instance of the <see cref="RandomizedPcaPopulationTrainer"/> class with default options.</summary>
    public RandomizedPcaPopulationTrainer()
        : this(new RandomizedPcaPopulationOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RandomizedPcaPopulationTrainer"/> class.</summary>
    /// <param name="options">The options, read once.</param>
    public RandomizedPcaPopulationTrainer(RandomizedPcaPopulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Rank);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Oversampling);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTrainingRows);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CalibrationPoints, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ZScoreClamp, 1.0);
        _rank = options.Rank;
        _oversampling = options.Oversampling;
        _seed = options.Seed;
        _zScoreClamp = options.ZScoreClamp;
        _minimumScale = options.MinimumScale;
        _trimFraction = options.TrimFraction;
        _maxTrainingRows = options.MaxTrainingRows;
        _calibrationPoints = options.CalibrationPoints;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Needs at least two accounts and two features. The model's <see cref="IPopulationModel.TrainingSize"/> is the
    /// number of accounts trained on, after thinning to <see cref="RandomizedPcaPopulationOptions.MaxTrainingRows"/>.
    /// </remarks>
    public IPopulationModel Train(IReadOnlyList<float[]> population, int featureCount, CancellationToken cancellationToken) =>
        Train(population, featureCount, out _, cancellationToken);

    /// <summary>Trains a model and hands back ML.NET's transformer too, which scores standardised features.</summary>
    internal RandomizedPcaPopulationModel Train(
        IReadOnlyList<float[]> population, int featureCount, out ITransformer? transformer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(population.Count, 2);
        cancellationToken.ThrowIfCancellationRequested();

        var rows = SelectRows(population, featureCount, _maxTrainingRows);
        var standardizer = RobustStandardizer.Fit(rows, featureCount, _zScoreClamp, _minimumScale, cancellationToken);

        var mlContext = new MLContext(seed: _seed);
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[FeatureRow.FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        var fitRows = Trim(rows, standardizer, _trimFraction, cancellationToken);
        var data = mlContext.Data.LoadFromEnumerable(StandardizedRows(fitRows, standardizer, cancellationToken), schema);
        // Data with fewer dimensions of spread than the rank (e.g. a uniform population) makes ML.NET's randomized
        // SVD give NaN eigenvectors: fall back to a lower rank, and to the mean alone when nothing varies.
        PcaResidual residual;
        transformer = null;
        for (var rank = Math.Min(_rank, featureCount - 1); ; rank--)
        {
            try
            {
                var trainer = mlContext.AnomalyDetection.Trainers.RandomizedPca(
                    featureColumnName: FeatureRow.FeaturesColumn,
                    rank: rank,
                    oversampling: _oversampling,
                    ensureZeroMean: true,
                    seed: _seed);
                var fitted = trainer.Fit(data);
                residual = ExtractResidual(fitted.Model, standardizer);
                transformer = fitted;
                break;
            }
            catch (ArgumentOutOfRangeException) when (rank > 1)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (ArgumentOutOfRangeException)
            {
                residual = new PcaResidual(standardizer, StandardizedMean(fitRows, standardizer), [], 0);
                break;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var calibration = Calibrate(residual, rows, _calibrationPoints, cancellationToken);
        var sequence = Interlocked.Increment(ref _trainings);
        var version = $"rpca-{sequence}-{Fingerprint(residual):x8}";
        return new RandomizedPcaPopulationModel(residual, calibration, version);
    }

    /// <summary>Checks the rows and thins them to <paramref name="maxRows"/> with a deterministic stride.</summary>
    private static IReadOnlyList<float[]> SelectRows(IReadOnlyList<float[]> population, int featureCount, int maxRows)
    {
        for (var i = 0; i < population.Count; i++)
        {
            if (population[i] is not { } row || row.Length != featureCount)
            {
                throw new ArgumentException(
                    $"Account {i} has {population[i]?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} features, expected {featureCount}.",
                    nameof(population));
            }
        }

        if (maxRows == 0 || population.Count <= maxRows)
        {
            return population;
        }

        var selected = new float[maxRows][];
        for (var k = 0; k < maxRows; k++)
        {
            selected[k] = population[(int)((long)k * population.Count / maxRows)];
        }

        return selected;
    }

    /// <summary>
    /// Leaves the <paramref name="fraction"/> of rows farthest from the medians out of the subspace fit, so that a
    /// handful of extreme accounts cannot claim a principal component of their own and hide in it (masking). They are
    /// still scored and calibrated against.
    /// </summary>
    private static IReadOnlyList<float[]> Trim(
        IReadOnlyList<float[]> rows, RobustStandardizer standardizer, double fraction, CancellationToken cancellationToken)
    {
        var drop = (int)(rows.Count * fraction);
        if (drop == 0)
        {
            return rows;
        }

        var norms = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (i % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var sum = 0.0;
            var row = rows[i];
            for (var f = 0; f < row.Length; f++)
            {
                var z = standardizer.Standardize(f, row[f]);
                sum += z * z;
            }

            norms[i] = sum;
        }

        var sorted = (double[])norms.Clone();
        var cut = QuickSelect.Select(sorted, rows.Count - drop - 1);
        var kept = new List<float[]>(rows.Count - drop);
        for (var i = 0; i < rows.Count && kept.Count < rows.Count - drop; i++)
        {
            if (norms[i] <= cut)
            {
                kept.Add(rows[i]);
            }
        }

        return kept;
    }

    private static double[] StandardizedMean(IReadOnlyList<float[]> rows, RobustStandardizer standardizer)
    {
        var mean = new double[standardizer.FeatureCount];
        foreach (var row in rows)
        {
            for (var f = 0; f < mean.Length; f++)
            {
                mean[f] += standardizer.Standardize(f, row[f]) / rows.Count;
            }
        }

        return mean;
    }

    /// <remarks>
    /// One row object and one buffer per pass, overwritten for each account: ML.NET's cursor over an enumerable copies
    /// a row's vector out when it is read and keeps no reference, and the randomized SVD passes over the data several
    /// times. A new array per account and pass allocated ~300 MB per training of 1,000,000 accounts — garbage
    /// collections that paused the detection loops of the worker the training runs in.
    /// </remarks>
    private static IEnumerable<FeatureRow> StandardizedRows(
        IReadOnlyList<float[]> rows, RobustStandardizer standardizer, CancellationToken cancellationToken)
    {
        var row = new FeatureRow { Features = new float[standardizer.FeatureCount] };
        for (var i = 0; i < rows.Count; i++)
        {
            if (i % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            standardizer.Standardize(rows[i], row.Features);
            yield return row;
        }
    }

    /// <summary>
    /// Copies μ and the eigenvectors out of ML.NET's model. The randomized SVD's eigenvectors are orthonormal only to
    /// about 1e-3, so they are re-orthonormalised (same subspace); a degenerate one (e.g. more components than the
    /// data has dimensions) is dropped.
    /// </summary>
    private static PcaResidual ExtractResidual(PcaModelParameters parameters, RobustStandardizer standardizer)
    {
        var featureCount = standardizer.FeatureCount;
        VBuffer<float> meanBuffer = default;
        parameters.GetMean(ref meanBuffer);
        var mean = new double[featureCount];
        if (meanBuffer.Length == featureCount)
        {
            var i = 0;
            foreach (var value in meanBuffer.DenseValues())
            {
                mean[i++] = value;
            }
        }

        VBuffer<float>[]? vectors = null;
        parameters.GetEigenVectors(ref vectors, out var rank);
        var basis = new double[rank * featureCount];
        var kept = 0;
        var candidate = new double[featureCount];
        for (var k = 0; k < rank; k++)
        {
            var i = 0;
            foreach (var value in vectors![k].DenseValues())
            {
                candidate[i++] = value;
            }

            if (Orthonormalize(candidate, basis.AsSpan(0, kept * featureCount), featureCount))
            {
                candidate.CopyTo(basis.AsSpan(kept * featureCount, featureCount));
                kept++;
            }
        }

        return new PcaResidual(standardizer, mean, basis[..(kept * featureCount)], kept);
    }

    /// <summary>Modified Gram–Schmidt of <paramref name="vector"/> against the rows of <paramref name="basis"/>.</summary>
    private static bool Orthonormalize(Span<double> vector, ReadOnlySpan<double> basis, int featureCount)
    {
        foreach (var value in vector)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }

        for (var offset = 0; offset < basis.Length; offset += featureCount)
        {
            var row = basis.Slice(offset, featureCount);
            var dot = 0.0;
            for (var i = 0; i < featureCount; i++)
            {
                dot += row[i] * vector[i];
            }

            for (var i = 0; i < featureCount; i++)
            {
                vector[i] -= dot * row[i];
            }
        }

        var normSquared = 0.0;
        foreach (var value in vector)
        {
            normSquared += value * value;
        }

        // ML.NET's eigenvectors have unit length; what is left after removing the kept ones must be most of it.
        if (!(normSquared > 0.25))
        {
            return false;
        }

        var inverse = 1 / Math.Sqrt(normSquared);
        for (var i = 0; i < featureCount; i++)
        {
            vector[i] *= inverse;
        }

        return true;
    }

    private static EmpiricalTail Calibrate(
        PcaResidual residual, IReadOnlyList<float[]> rows, int points, CancellationToken cancellationToken)
    {
        var scores = new double[rows.Count];
        var residualBuffer = new double[residual.FeatureCount];
        var projectionBuffer = new double[Math.Max(1, residual.Rank)];
        for (var i = 0; i < scores.Length; i++)
        {
            if (i % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            scores[i] = Math.Sqrt(residual.Compute(rows[i], residualBuffer, projectionBuffer, out _));
        }

        Array.Sort(scores);
        return EmpiricalTail.Create(scores, points);
    }

    /// <summary>FNV-1a over the model's numbers, so a version names its parameters across restarts.</summary>
    private static uint Fingerprint(PcaResidual residual)
    {
        var hash = 2_166_136_261u;
        Mix(ref hash, residual.Standardizer.Center);
        Mix(ref hash, residual.Standardizer.InverseScale);
        Mix(ref hash, residual.Mean);
        Mix(ref hash, residual.Basis);
        return hash;

        static void Mix(ref uint hash, ReadOnlySpan<double> values)
        {
            foreach (var value in values)
            {
                var bits = BitConverter.DoubleToUInt64Bits(value);
                for (var shift = 0; shift < 64; shift += 8)
                {
                    hash = unchecked((hash ^ (uint)((bits >> shift) & 0xFF)) * 16_777_619u);
                }
            }
        }
    }
}

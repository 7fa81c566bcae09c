using Microsoft.ML;
using Microsoft.ML.Data;
using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class RandomizedPcaPopulationTrainerTests
{
    private const int FeatureCount = SyntheticPopulation.FeatureCount;

    // The synthetic features have spreads far below the production floor, which scale invariance must not meet.
    private readonly RandomizedPcaPopulationOptions _options = new() { MinimumScale = 0 };

    [Fact]
    public void Train_ClusteredPopulationWithOutliers_OutliersInFarTail()
    {
        var population = new SyntheticPopulation(seed: 1);
        var rows = population.Normals(2_000);
        for (var i = 0; i < 10; i++)
        {
            rows.Add(population.Outlier(i % FeatureCount));
        }

        var scorer = CreateSut().Train(rows, FeatureCount, CancellationToken.None).CreateScorer();

        var tails = rows.Select(row => Score(scorer, row).TailProbability).ToArray();
        tails[2_000..].ShouldAllBe(tail => tail < 0.01);
        tails[..2_000].Count(tail => tail > 0.05).ShouldBeGreaterThanOrEqualTo(1_900);
    }

    [Theory]
    [InlineData(0.02, false)]
    [InlineData(0.0, true)]
    public void Train_RingOfIdenticalOutliers_MaskedOnlyWithoutTrimming(double trimFraction, bool masked)
    {
        // Independent unit-variance peers; a ring of 30 accounts 8 deviations out on one feature carries more
        // variance along it than any direction of the peers, so an untrimmed fit gives the ring its own component.
        var random = new Random(5);
        var rows = Enumerable.Range(0, 2_000)
            .Select(_ => Enumerable.Range(0, FeatureCount).Select(_ => (float)Gaussian(random)).ToArray())
            .ToList();
        var ring = new float[FeatureCount];
        ring[3] = 8;
        rows.AddRange(Enumerable.Range(0, 30).Select(_ => (float[])ring.Clone()));
        _options.TrimFraction = trimFraction;

        var scorer = CreateSut().Train(rows, FeatureCount, CancellationToken.None).CreateScorer();

        var distance = Score(scorer, ring).RawScore;
        (distance < 4).ShouldBe(masked, $"distance {distance}");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Train_UniformPopulation_FallsBackWithoutNaN()
    {
        var rows = Enumerable.Range(0, 500).Select(i => new float[FeatureCount]).ToList();
        var odd = new float[FeatureCount];
        odd[1] = 5;

        var scorer = CreateSut().Train(rows, FeatureCount, CancellationToken.None).CreateScorer();

        var score = Score(scorer, odd);
        double.IsFinite(score.RawScore).ShouldBeTrue();
        score.RawScore.ShouldBeGreaterThan(0);
        score.TailProbability.ShouldBeLessThan(0.01);
        Score(scorer, rows[0]).RawScore.ShouldBe(0, 1e-9);
    }

    [Fact]
    public void Score_FreshAccounts_CalibratedAndOutliersInFarTail()
    {
        var population = new SyntheticPopulation(seed: 2);
        var training = population.Normals(2_000);
        var scorer = CreateSut().Train(training, FeatureCount, CancellationToken.None).CreateScorer();

        var fresh = new SyntheticPopulation(seed: 3);
        var normalTails = fresh.Normals(2_000).Select(row => Score(scorer, row).TailProbability).ToArray();
        var outlierTails = Enumerable.Range(0, 24).Select(i => Score(scorer, fresh.Outlier(i % FeatureCount)).TailProbability);

        outlierTails.ShouldAllBe(tail => tail < 0.01);
        normalTails.Count(tail => tail > 0.05).ShouldBeGreaterThanOrEqualTo(1_800);
        normalTails.Count(tail => tail < 0.01).ShouldBeLessThanOrEqualTo(60);
    }

    [Fact]
    public void Train_SameSnapshotTwice_SameRawScores()
    {
        var rows = new SyntheticPopulation(seed: 4).Normals(1_000);

        var first = CreateSut().Train(rows, FeatureCount, CancellationToken.None);
        var second = CreateSut().Train(rows, FeatureCount, CancellationToken.None);

        var firstScores = RawScores(first.CreateScorer(), rows);
        var secondScores = RawScores(second.CreateScorer(), rows);
        secondScores.ShouldBe(firstScores);
        second.Version.ShouldBe(first.Version);
    }

    [Fact]
    public void Train_SameTrainerTwice_VersionChanges()
    {
        var rows = new SyntheticPopulation(seed: 4).Normals(500);
        var sut = CreateSut();

        var first = sut.Train(rows, FeatureCount, CancellationToken.None);
        var second = sut.Train(rows, FeatureCount, CancellationToken.None);

        second.Version.ShouldNotBe(first.Version);
    }

    [Fact]
    public void Score_AgreesWithMLNetTransformer()
    {
        var population = new SyntheticPopulation(seed: 5);
        var training = population.Normals(2_000);
        var model = CreateSut().Train(training, FeatureCount, out var transformer, CancellationToken.None);
        var test = population.Normals(500);
        for (var i = 0; i < 20; i++)
        {
            test.Add(population.Outlier(i % FeatureCount));
        }

        var standardized = test.Select(row =>
        {
            var z = new float[FeatureCount];
            model.Residual.Standardizer.Standardize(row, z);
            return z;
        }).ToList();
        var mlNetScores = MLNetScores(transformer.ShouldNotBeNull(), standardized);
        var residual = new double[FeatureCount];
        var projection = new double[model.Rank];
        var ours = test.Select(row =>
        {
            var errorSquared = model.Residual.Compute(row, residual, projection, out var centeredSquared);
            return (Raw: Math.Sqrt(errorSquared), Normalized: Math.Sqrt(errorSquared / centeredSquared), Distance: Math.Sqrt(centeredSquared));
        }).ToArray();

        // ML.NET's score is the normalised error ‖r‖ / ‖c‖; ours is ‖r‖ = ML.NET's score × ‖c‖.
        Spearman(ours.Select(o => o.Normalized).ToArray(), mlNetScores).ShouldBeGreaterThan(0.999);
        for (var i = 0; i < test.Count; i++)
        {
            ours[i].Normalized.ShouldBe(mlNetScores[i], 2e-3);
            ours[i].Raw.ShouldBe(mlNetScores[i] * ours[i].Distance, 2e-3 * ours[i].Distance);
        }

        TopIndices(ours.Select(o => o.Raw).ToArray(), 20)
            .ShouldBe(TopIndices(mlNetScores.Zip(ours, (s, o) => s * o.Distance).ToArray(), 20), ignoreOrder: true);
    }

    [Fact]
    public void Train_FeatureRescaled_SameRawScores()
    {
        var rows = new SyntheticPopulation(seed: 6).Normals(1_000);
        var rescaled = rows.Select(row =>
        {
            var copy = (float[])row.Clone();
            copy[0] *= 1_000;
            copy[3] /= 1_000;
            return copy;
        }).ToList();

        var scores = RawScores(CreateSut().Train(rows, FeatureCount, CancellationToken.None).CreateScorer(), rows);
        var rescaledScores = RawScores(CreateSut().Train(rescaled, FeatureCount, CancellationToken.None).CreateScorer(), rescaled);

        for (var i = 0; i < scores.Length; i++)
        {
            rescaledScores[i].ShouldBe(scores[i], 1e-3 * (1 + scores[i]));
        }
    }

    [Fact]
    public void Train_ConstantAndDuplicatedFeatures_FiniteScores()
    {
        var rows = new SyntheticPopulation(seed: 7).Normals(300).Select(row =>
        {
            row[1] = 0;
            row[2] = row[3];
            row[4] = row[3];
            return row;
        }).ToList();
        _options.Rank = 10;

        var model = CreateSut().Train(rows, FeatureCount, CancellationToken.None);

        var contributions = new float[FeatureCount];
        foreach (var row in rows)
        {
            var score = model.CreateScorer().Score(row, contributions);
            double.IsFinite(score.RawScore).ShouldBeTrue();
            contributions.ShouldAllBe(c => float.IsFinite(c));
        }
    }

    [Fact]
    public void Train_MaxTrainingRows_TrainsOnDeterministicSubsample()
    {
        var rows = new SyntheticPopulation(seed: 8).Normals(3_000);
        _options.MaxTrainingRows = 1_000;

        var first = CreateSut().Train(rows, FeatureCount, CancellationToken.None);
        var second = CreateSut().Train(rows, FeatureCount, CancellationToken.None);

        first.TrainingSize.ShouldBe(1_000);
        RawScores(second.CreateScorer(), rows).ShouldBe(RawScores(first.CreateScorer(), rows));
    }

    [Fact]
    public void Train_RowOfWrongLength_Throws()
    {
        var rows = new SyntheticPopulation(seed: 9).Normals(100);
        rows[42] = new float[FeatureCount - 1];

        Should.Throw<ArgumentException>(() => CreateSut().Train(rows, FeatureCount, CancellationToken.None))
            .Message.ShouldContain("Account 42");
    }

    [Fact]
    public void Train_Cancelled_ThrowsOperationCanceled()
    {
        var rows = new SyntheticPopulation(seed: 9).Normals(100);

        Should.Throw<OperationCanceledException>(() => CreateSut().Train(rows, FeatureCount, new CancellationToken(canceled: true)));
    }

    private RandomizedPcaPopulationTrainer CreateSut() => new(_options);

    private static Core.Ports.PopulationScore Score(Core.Ports.IPopulationScorer scorer, float[] row) =>
        scorer.Score(row, new float[row.Length]);

    private static double[] RawScores(Core.Ports.IPopulationScorer scorer, List<float[]> rows) =>
        rows.Select(row => Score(scorer, row).RawScore).ToArray();

    private static double[] MLNetScores(ITransformer transformer, List<float[]> standardized)
    {
        var mlContext = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[FeatureRow.FeaturesColumn].ColumnType =
            new VectorDataViewType(NumberDataViewType.Single, FeatureCount);
        var data = mlContext.Data.LoadFromEnumerable(standardized.Select(z => new FeatureRow { Features = z }), schema);
        return transformer.Transform(data).GetColumn<float>("Score").Select(s => (double)s).ToArray();
    }

    private static int[] TopIndices(double[] values, int count) =>
        values.Select((value, index) => (value, index)).OrderByDescending(p => p.value).Take(count).Select(p => p.index).ToArray();

    private static double Spearman(double[] a, double[] b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        var meanA = ra.Average();
        var meanB = rb.Average();
        double cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            cov += (ra[i] - meanA) * (rb[i] - meanB);
            varA += (ra[i] - meanA) * (ra[i] - meanA);
            varB += (rb[i] - meanB) * (rb[i] - meanB);
        }

        return cov / Math.Sqrt(varA * varB);
    }

    private static double[] Ranks(double[] values)
    {
        var ranks = new double[values.Length];
        var order = values.Select((value, index) => (value, index)).OrderBy(p => p.value).ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            ranks[order[i].index] = i;
        }

        return ranks;
    }
}

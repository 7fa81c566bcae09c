using UsageSentinel.Core.Ports;
using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class RandomizedPcaPopulationScorerTests
{
    private const int FeatureCount = SyntheticPopulation.FeatureCount;

    private static readonly Lazy<(IPopulationModel Model, SyntheticPopulation Population)> Trained = new(() =>
    {
        var population = new SyntheticPopulation(seed: 11);
        var model = new RandomizedPcaPopulationTrainer(new RandomizedPcaPopulationOptions { MinimumScale = 0 }).Train(population.Normals(2_000), FeatureCount, CancellationToken.None);
        return (model, population);
    });

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(11)]
    public void Score_OneFeaturePerturbed_ItHasTheLargestContribution(int feature)
    {
        var (model, population) = Trained.Value;
        var contributions = new float[FeatureCount];

        var score = CreateSut(model).Score(population.Outlier(feature), contributions);

        score.TailProbability.ShouldBeLessThan(0.01);
        contributions.Sum().ShouldBe(1f, 1e-5f);
        contributions.ShouldAllBe(c => c >= 0);
        Array.IndexOf(contributions, contributions.Max()).ShouldBe(feature);
    }

    [Fact]
    public void Score_NormalAccount_ContributionsSumToOne()
    {
        var (model, population) = Trained.Value;
        var contributions = new float[FeatureCount];
        var sut = CreateSut(model);

        foreach (var row in population.Normals(100))
        {
            sut.Score(row, contributions);
            contributions.Sum().ShouldBe(1f, 1e-5f);
        }
    }

    [Fact]
    public void Score_AfterWarmup_DoesNotAllocate()
    {
        var (model, population) = Trained.Value;
        var rows = population.Normals(64);
        rows.Add(population.Outlier(3));
        var contributions = new float[FeatureCount];
        var sut = CreateSut(model);
        var checksum = 0.0;
        foreach (var row in rows)
        {
            checksum += sut.Score(row, contributions).RawScore;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            checksum += sut.Score(rows[i % rows.Count], contributions).TailProbability;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.ShouldBe(0);
        double.IsFinite(checksum).ShouldBeTrue();
    }

    [Fact]
    public void Score_NonFiniteFeatures_FiniteScore()
    {
        var (model, population) = Trained.Value;
        var row = population.Normal();
        row[0] = float.NaN;
        row[1] = float.PositiveInfinity;
        row[2] = float.NegativeInfinity;
        var contributions = new float[FeatureCount];

        var score = CreateSut(model).Score(row, contributions);

        double.IsFinite(score.RawScore).ShouldBeTrue();
        score.TailProbability.ShouldBeInRange(0, 1);
        contributions.ShouldAllBe(c => float.IsFinite(c));
    }

    [Fact]
    public void Score_AtTheMedian_TailProbabilityOne()
    {
        var (model, _) = Trained.Value;
        var residual = ((RandomizedPcaPopulationModel)model).Residual;
        var median = residual.Standardizer.Center.ToArray().Select(v => (float)v).ToArray();
        var contributions = new float[FeatureCount];

        var score = CreateSut(model).Score(median, contributions);

        // The median of every feature is close to the population's centre, so nearly everyone is further away.
        score.TailProbability.ShouldBeGreaterThan(0.5);
    }

    [Theory]
    [InlineData(FeatureCount - 1, FeatureCount)]
    [InlineData(FeatureCount, FeatureCount + 1)]
    public void Score_WrongLength_Throws(int features, int contributions)
    {
        var (model, _) = Trained.Value;

        Should.Throw<ArgumentException>(() => CreateSut(model).Score(new float[features], new float[contributions]));
    }

    private static IPopulationScorer CreateSut(IPopulationModel model) => model.CreateScorer();
}

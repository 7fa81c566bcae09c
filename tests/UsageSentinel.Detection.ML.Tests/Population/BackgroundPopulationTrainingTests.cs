using UsageSentinel.Core.Ports;
using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class BackgroundPopulationTrainingTests
{
    private const int FeatureCount = SyntheticPopulation.FeatureCount;
    private static readonly DateTimeOffset Day = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Submit_OneLoop_PublishesModelTrainedOnSnapshot()
    {
        await using var sut = CreateSut(loops: 1);
        var results = new List<PopulationTrainingResult>();
        sut.Trained += r => { lock (results) { results.Add(r); } };

        sut.Submit(0, Day, new SyntheticPopulation(seed: 21).Normals(500));
        await sut.Running;

        sut.Models.Version.ShouldBe(1);
        sut.Models.Current!.TrainingSize.ShouldBe(500);
        results.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            r => r.ModelVersion.ShouldBe(1),
            r => r.Accounts.ShouldBe(500),
            r => r.EventTime.ShouldBe(Day),
            r => r.Error.ShouldBeNull());
    }

    [Fact]
    public async Task Submit_SeveralLoops_TrainsOnTheUnionOfTheirLatestSnapshots()
    {
        await using var sut = CreateSut(loops: 3);
        var population = new SyntheticPopulation(seed: 22);
        sut.Submit(0, Day, population.Normals(300));
        await sut.Running;
        sut.Submit(1, Day, population.Normals(200));
        await sut.Running;
        sut.Submit(0, Day.AddDays(1), population.Normals(100));
        await sut.Running;

        sut.Models.Version.ShouldBe(3);
        sut.Models.Current!.TrainingSize.ShouldBe(300);
    }

    [Fact]
    public async Task Submit_TrainerFails_ReportsErrorAndKeepsModel()
    {
        var failing = false;
        await using var sut = new BackgroundPopulationTraining(new SwitchableTrainer(() => failing), loops: 1);
        PopulationTrainingResult? last = null;
        sut.Trained += r => last = r;
        sut.Submit(0, Day, new SyntheticPopulation(seed: 23).Normals(200));
        await sut.Running;
        var first = sut.Models.Current;

        failing = true;
        sut.Submit(0, Day.AddDays(1), new SyntheticPopulation(seed: 24).Normals(200));
        await sut.Running;

        sut.Models.Current.ShouldBeSameAs(first);
        last.ShouldNotBeNull().Error.ShouldBeOfType<InvalidOperationException>();
        last.ModelVersion.ShouldBe(0);
    }

    [Fact]
    public async Task Submit_WhileALoopScores_ScorerFollowsEveryNewModelWithoutError()
    {
        var population = new SyntheticPopulation(seed: 25);
        var snapshots = Enumerable.Range(0, 4).Select(_ => population.Normals(2_000)).ToArray();
        var accounts = population.Normals(256);
        accounts.Add(population.Outlier(2));
        await using var sut = CreateSut(loops: 1);
        sut.Submit(0, Day, snapshots[0]);
        await sut.Running;
        using var stop = new CancellationTokenSource();
        var observed = new List<long>();

        var scoring = Task.Factory.StartNew(
            () =>
            {
                long version = 0;
                IPopulationScorer? scorer = null;
                var contributions = new float[FeatureCount];
                var scored = 0L;
                for (var i = 0; !(stop.IsCancellationRequested && scored >= 10_000 && version == sut.Models.Version); i++)
                {
                    if (sut.Models.TryGetNewer(version, out var model, out version))
                    {
                        scorer = model.CreateScorer();
                        observed.Add(version);
                    }

                    var score = scorer!.Score(accounts[i % accounts.Count], contributions);
                    if (!double.IsFinite(score.RawScore) || !(score.TailProbability is > 0 and <= 1))
                    {
                        throw new InvalidOperationException($"Score {score} is not finite.");
                    }

                    scored++;
                }

                return scored;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        for (var round = 1; round < snapshots.Length; round++)
        {
            sut.Submit(0, Day.AddDays(round), snapshots[round]);
            await sut.Running;
        }

        await stop.CancelAsync();
        (await scoring).ShouldBeGreaterThanOrEqualTo(10_000);
        observed[0].ShouldBe(1);
        observed.ShouldBe(observed.Order().Distinct());
        observed[^1].ShouldBe(4);
    }

    [Fact]
    public async Task DisposeAsync_ThenSubmit_TrainsNothing()
    {
        var sut = CreateSut(loops: 1);
        await sut.DisposeAsync();

        sut.Submit(0, Day, new SyntheticPopulation(seed: 26).Normals(200));

        sut.Running.IsCompleted.ShouldBeTrue();
        sut.Models.Version.ShouldBe(0);
    }

    private static BackgroundPopulationTraining CreateSut(int loops) => new(new RandomizedPcaPopulationTrainer(), loops);

    private sealed class SwitchableTrainer(Func<bool> failing) : IPopulationModelTrainer
    {
        private readonly RandomizedPcaPopulationTrainer _inner = new();

        public IPopulationModel Train(IReadOnlyList<float[]> population, int featureCount, CancellationToken cancellationToken) =>
            failing() ? throw new InvalidOperationException("broken") : _inner.Train(population, featureCount, cancellationToken);
    }
}

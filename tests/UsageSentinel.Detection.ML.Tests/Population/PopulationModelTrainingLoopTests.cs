using UsageSentinel.Core.Ports;
using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class PopulationModelTrainingLoopTests
{
    private const int FeatureCount = SyntheticPopulation.FeatureCount;

    private readonly PopulationModelHolder _holder = new();

    [Fact]
    public async Task RunOnceAsync_EnoughAccounts_PublishesModel()
    {
        var rows = new SyntheticPopulation(seed: 21).Normals(500);

        var model = await CreateSut().RunOnceAsync(() => rows, CancellationToken.None);

        model.ShouldNotBeNull();
        _holder.Current.ShouldBeSameAs(model);
        _holder.Version.ShouldBe(1);
        model.TrainingSize.ShouldBe(500);
    }

    [Fact]
    public async Task RunOnceAsync_TooFewAccounts_SkipsAndKeepsModel()
    {
        var sut = CreateSut();
        await sut.RunOnceAsync(() => new SyntheticPopulation(seed: 22).Normals(200), CancellationToken.None);

        var model = await sut.RunOnceAsync(() => new SyntheticPopulation(seed: 23).Normals(99), CancellationToken.None);

        model.ShouldBeNull();
        _holder.Version.ShouldBe(1);
    }

    [Fact]
    public async Task RunOnceAsync_WhileScoring_ScorerFollowsEachNewModel()
    {
        var population = new SyntheticPopulation(seed: 24);
        var snapshots = Enumerable.Range(0, 3).Select(_ => population.Normals(2_000)).ToArray();
        var accounts = population.Normals(256);
        accounts.Add(population.Outlier(2));
        var sut = CreateSut();
        await sut.RunOnceAsync(() => snapshots[0], CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var observed = new List<long>();

        var scoring = Task.Factory.StartNew(
            () =>
            {
                long version = 0;
                IPopulationScorer? scorer = null;
                var contributions = new float[FeatureCount];
                var scored = 0L;
                for (var i = 0; !(stop.IsCancellationRequested && scored >= 10_000 && version == _holder.Version); i++)
                {
                    if (_holder.TryGetNewer(version, out var model, out version))
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

        for (var round = 0; round < 3; round++)
        {
            var snapshot = snapshots[round];
            await sut.RunOnceAsync(() => snapshot, CancellationToken.None);
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        (await scoring).ShouldBeGreaterThanOrEqualTo(10_000);
        observed[0].ShouldBe(1);
        observed.ShouldBe(observed.Order().Distinct());
        observed[^1].ShouldBe(4);
    }

    [Fact]
    public async Task RunOnceAsync_Cancelled_KeepsModel()
    {
        var sut = CreateSut();
        await sut.RunOnceAsync(() => new SyntheticPopulation(seed: 25).Normals(200), CancellationToken.None);

        await Should.ThrowAsync<OperationCanceledException>(() =>
            sut.RunOnceAsync(() => new SyntheticPopulation(seed: 26).Normals(200), new CancellationToken(canceled: true)));

        _holder.Version.ShouldBe(1);
    }

    private PopulationModelTrainingLoop CreateSut() =>
        new(new RandomizedPcaPopulationTrainer(), _holder, FeatureCount);
}

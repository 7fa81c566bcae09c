using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class InlinePopulationTrainingTests
{
    [Fact]
    public void Submit_SameSnapshotTwice_PublishesModelsThatScoreIdentically()
    {
        var population = new SyntheticPopulation(seed: 31);
        var snapshot = population.Normals(1_000);
        var probe = population.Outlier(3);
        var sut = new InlinePopulationTraining(new RandomizedPcaPopulationTrainer());

        sut.Submit(0, DateTimeOffset.UnixEpoch, snapshot);
        var first = sut.Models.Current!.CreateScorer().Score(probe, new float[probe.Length]);
        sut.Submit(0, DateTimeOffset.UnixEpoch, snapshot);
        var second = sut.Models.Current!.CreateScorer().Score(probe, new float[probe.Length]);

        sut.Models.Version.ShouldBe(2);
        second.ShouldBe(first);
        first.TailProbability.ShouldBeLessThan(0.01);
    }
}

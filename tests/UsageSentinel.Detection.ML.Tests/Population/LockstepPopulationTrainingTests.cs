using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class LockstepPopulationTrainingTests
{
    [Fact]
    public void TrainSubmitted_EveryLoopsRows_TrainsOneModelOnThemInLoopOrder()
    {
        var population = new SyntheticPopulation(seed: 31);
        var rows = population.Normals(1_000);
        var probe = population.Outlier(3);
        var sut = new LockstepPopulationTraining(new RandomizedPcaPopulationTrainer(), loops: 2, minimumRows: 200);
        var whole = new InlinePopulationTraining(new RandomizedPcaPopulationTrainer());
        whole.Submit(0, DateTimeOffset.UnixEpoch, rows);

        // Loop 1 submits first; the rows still go to the training in loop order, so the model is the one-loop model.
        sut.Submit(1, DateTimeOffset.UnixEpoch, [.. rows.Skip(400)]);
        sut.Submit(0, DateTimeOffset.UnixEpoch, [.. rows.Take(400)]);
        sut.Models.Current.ShouldBeNull("nothing is trained before every loop has met");
        sut.TrainSubmitted().ShouldBeTrue();

        sut.Models.Version.ShouldBe(1);
        var score = sut.Models.Current!.CreateScorer().Score(probe, new float[probe.Length]);
        score.ShouldBe(whole.Models.Current!.CreateScorer().Score(probe, new float[probe.Length]));
        sut.AppliesMinimum.ShouldBeTrue();
    }

    [Fact]
    public void TrainSubmitted_FewerRowsThanTheMinimumInAll_PublishesNothingAndForgetsThem()
    {
        var population = new SyntheticPopulation(seed: 5);
        var sut = new LockstepPopulationTraining(new RandomizedPcaPopulationTrainer(), loops: 3, minimumRows: 200);

        sut.Submit(0, DateTimeOffset.UnixEpoch, population.Normals(150));
        sut.Submit(2, DateTimeOffset.UnixEpoch, population.Normals(49));

        sut.TrainSubmitted().ShouldBeFalse();
        sut.Models.Current.ShouldBeNull();

        // The next meeting starts empty: 150 more rows alone are still too few.
        sut.Submit(1, DateTimeOffset.UnixEpoch, population.Normals(150));
        sut.TrainSubmitted().ShouldBeFalse();
        sut.Submit(1, DateTimeOffset.UnixEpoch, population.Normals(200));
        sut.TrainSubmitted().ShouldBeTrue();
    }

    [Fact]
    public void Submit_LoopOutOfRange_Throws()
    {
        var sut = new LockstepPopulationTraining(new RandomizedPcaPopulationTrainer(), loops: 2, minimumRows: 2);

        Should.Throw<ArgumentOutOfRangeException>(() => sut.Submit(2, DateTimeOffset.UnixEpoch, []));
        Should.Throw<ArgumentOutOfRangeException>(() => sut.Submit(-1, DateTimeOffset.UnixEpoch, []));
    }
}

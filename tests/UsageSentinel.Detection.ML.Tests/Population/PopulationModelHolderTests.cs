using UsageSentinel.Core.Ports;

namespace UsageSentinel.Detection.ML.Tests.Population;

// Tests Core's PopulationModelHolder; they belong in Core.Tests/Ports once that folder is ours to touch.
public sealed class PopulationModelHolderTests
{
    [Fact]
    public void TryGetNewer_NothingPublished_False()
    {
        var sut = new PopulationModelHolder();

        sut.TryGetNewer(0, out var model, out var version).ShouldBeFalse();

        model.ShouldBeNull();
        version.ShouldBe(0);
        sut.Version.ShouldBe(0);
        sut.Current.ShouldBeNull();
    }

    [Fact]
    public void Publish_Twice_VersionsOneAndTwo()
    {
        var sut = new PopulationModelHolder();
        var first = new StubModel();
        var second = new StubModel();

        sut.Publish(first).ShouldBe(1);
        sut.Publish(second).ShouldBe(2);

        sut.Current.ShouldBeSameAs(second);
        sut.TryGetNewer(1, out var model, out var version).ShouldBeTrue();
        model.ShouldBeSameAs(second);
        version.ShouldBe(2);
        sut.TryGetNewer(2, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void Publish_Concurrently_EveryVersionOnce()
    {
        var sut = new PopulationModelHolder();
        var versions = new long[4 * 1_000];

        Parallel.For(0, 4, thread =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                versions[(thread * 1_000) + i] = sut.Publish(new StubModel());
            }
        });

        versions.Order().ShouldBe(Enumerable.Range(1, versions.Length).Select(v => (long)v));
        sut.Version.ShouldBe(versions.Length);
    }

    private sealed class StubModel : IPopulationModel
    {
        public int FeatureCount => 1;

        public string Version => "stub";

        public int TrainingSize => 0;

        public double Typical(int feature) => 0;

        public IPopulationScorer CreateScorer() => throw new NotSupportedException();
    }
}

using UsageSentinel.Core.Accounting;

namespace UsageSentinel.Core.Tests.Accounting;

public sealed class OpenInstanceSetTests
{
    private static readonly ComputeRun Run = new("eu-west/i-0", "eu-west", null, 0);

    [Theory]
    [InlineData(1, 6)]
    [InlineData(2, OpenInstanceSet.IndexedFrom + 4)]
    [InlineData(3, 200)]
    public void AddRemoveAndContains_RandomSequence_AgreesWithADictionary(int seed, int ids)
    {
        // Sizes below, around and far above the count where an index by id takes over from the scan.
        var random = new Random(seed);
        var sut = default(OpenInstanceSet);
        var expected = new Dictionary<string, OpenInstance>(StringComparer.Ordinal);
        for (var step = 0; step < 20_000; step++)
        {
            var id = $"i-{random.Next(ids):x}";
            switch (random.Next(4))
            {
                case 0 or 1:
                    var instance = Instance(id, step);
                    sut.TryAdd(instance).ShouldBe(expected.TryAdd(id, instance));
                    break;
                case 2:
                    sut.Remove(id, out var removed).ShouldBe(expected.Remove(id, out var expectedRemoved));
                    removed.LaunchedTicks.ShouldBe(expectedRemoved.LaunchedTicks);
                    break;
                default:
                    sut.Contains(id).ShouldBe(expected.ContainsKey(id));
                    break;
            }

            sut.Count.ShouldBe(expected.Count);
        }

        var held = sut.Items.ToArray().Select(i => (i.InstanceId, i.LaunchedTicks)).Order().ToArray();
        held.ShouldBe(expected.Values.Select(i => (i.InstanceId, i.LaunchedTicks)).Order().ToArray());
    }

    [Fact]
    public void Remove_AllAfterManyWereOpen_EmptiesAndFindsNewOnesAgain()
    {
        var sut = default(OpenInstanceSet);
        var many = 3 * OpenInstanceSet.IndexedFrom;
        for (var i = 0; i < many; i++)
        {
            sut.TryAdd(Instance($"i-{i}", i)).ShouldBeTrue();
        }

        for (var i = many - 1; i >= 0; i--)
        {
            sut.Remove($"i-{i}", out var removed).ShouldBeTrue();
            removed.LaunchedTicks.ShouldBe(i);
        }

        sut.Count.ShouldBe(0);
        sut.Contains("i-0").ShouldBeFalse();
        sut.TryAdd(Instance("i-0", 7)).ShouldBeTrue();
        sut.Contains("i-0").ShouldBeTrue();
        sut.Items[0].LaunchedTicks.ShouldBe(7);
    }

    [Fact]
    public void New_HoldsNoStorageUntilTheFirstInstance()
    {
        var sut = default(OpenInstanceSet);
        sut.HasStorage.ShouldBeFalse();
        sut.Items.IsEmpty.ShouldBeTrue();
        sut.Remove("i-1", out _).ShouldBeFalse();
        sut.HasStorage.ShouldBeFalse();

        sut.TryAdd(Instance("i-1", 1)).ShouldBeTrue();
        sut.HasStorage.ShouldBeTrue();
    }

    private static OpenInstance Instance(string id, long ticks) => new()
    {
        InstanceId = id,
        ModelIndex = 0,
        Gpus = 8,
        PeakFlopsPerGpu = 1e15,
        LaunchedTicks = ticks,
        Run = Run,
    };
}

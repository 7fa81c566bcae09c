using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Sketches;
using Xunit.Abstractions;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class FirstSeenSetTests(ITestOutputHelper output)
{
    private static FirstSeenSet CreateSut() => new();

    [Fact]
    public void AddIsNew_SameValueTwice_IsNewOnlyTheFirstTime()
    {
        var sut = CreateSut();

        sut.AddIsNew("eu-west-1").ShouldBeTrue();
        sut.AddIsNew("eu-west-1").ShouldBeFalse();
        sut.AddIsNew("us-east-1").ShouldBeTrue();
        sut.Count.ShouldBe(2);
        sut.Contains(SlidingDistinctCounter.Hash("us-east-1")).ShouldBeTrue();
        sut.Contains(SlidingDistinctCounter.Hash("ap-south-1")).ShouldBeFalse();
    }

    [Fact]
    public void StorageBytes_NothingAdded_IsZero_ThenAtMost128()
    {
        var sut = CreateSut();
        sut.StorageBytes.ShouldBe(0);

        for (ulong i = 0; i < 1_000; i++)
        {
            sut.AddIsNew(i);
            sut.StorageBytes.ShouldBeLessThanOrEqualTo(128);
        }
    }

    [Property(Replay = "77,79", MaxTest = 200)]
    public bool AddIsNew_UpToSixteenDistinctValues_IsExact(ulong[] values)
    {
        var sut = CreateSut();
        var model = new HashSet<ulong>();
        foreach (var value in values.Take(FirstSeenSet.ExactCapacity * 2))
        {
            if (model.Count == FirstSeenSet.ExactCapacity && !model.Contains(value))
            {
                break;
            }

            if (sut.AddIsNew(value) != model.Add(value))
            {
                return false;
            }
        }

        return !sut.IsApproximate && sut.Count == model.Count;
    }

    [Property(Replay = "81,83", MaxTest = 100)]
    public bool AddIsNew_ValueSeenBefore_IsNeverNew(PositiveInt size, int seed)
    {
        var n = size.Get * 7 % 400;
        var sut = CreateSut();
        for (var i = 0; i < n; i++)
        {
            sut.AddIsNew(((ulong)(uint)seed << 32) + (ulong)i);
        }

        return Enumerable.Range(0, n).All(i => !sut.AddIsNew(((ulong)(uint)seed << 32) + (ulong)i));
    }

    [Theory]
    [InlineData(32, 0.0002)]
    [InlineData(64, 0.003)]
    [InlineData(100, 0.013)]
    [InlineData(128, 0.03)]
    public void AddIsNew_ManyValues_FalseNotNewRateWithinTheDocumentedBound(int seen, double bound)
    {
        var falseNotNew = 0;
        var probes = 0;
        for (var trial = 0; trial < 50; trial++)
        {
            var sut = CreateSut();
            var offset = (ulong)trial << 40;
            for (var i = 0; i < seen; i++)
            {
                sut.AddIsNew(offset + (ulong)i);
            }

            for (var i = 0; i < 4_000; i++)
            {
                probes++;
                falseNotNew += sut.Contains(offset + 1_000_000UL + (ulong)i) ? 1 : 0;
            }
        }

        var rate = (double)falseNotNew / probes;
        output.WriteLine($"after {seen} values: {rate:P3} of new values reported as seen");
        rate.ShouldBeLessThanOrEqualTo(bound);
    }

    [Fact]
    public void AddIsNew_SteadyState_AllocatesNothing()
    {
        var small = CreateSut();
        var large = CreateSut();
        for (ulong i = 0; i < 100; i++)
        {
            large.AddIsNew(i);
        }

        for (ulong i = 0; i < 16; i++)
        {
            small.AddIsNew(i);
        }

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                small.AddIsNew((ulong)(i % 16));
                large.AddIsNew((ulong)(i % 300));
                small.AddIsNew("H100");
            }
        });

        allocated.ShouldBe(0);
    }

    [Fact]
    public void AddIsNew_TwoValues_AllocatesNothing_TheThirdAnArray()
    {
        bool TwoValues()
        {
            var set = CreateSut();
            return set.AddIsNew(11UL) && set.AddIsNew(12UL) && !set.AddIsNew(11UL) && set.Contains(12UL);
        }

        Allocations.Measure(() => TwoValues().ShouldBeTrue()).ShouldBe(0);

        var sut = CreateSut();
        sut.AddIsNew(11UL);
        sut.AddIsNew(12UL);
        sut.StorageBytes.ShouldBe(0);
        sut.AddIsNew(13UL).ShouldBeTrue();
        sut.StorageBytes.ShouldBe(32);
        sut.Contains(11UL).ShouldBeTrue();
        sut.Contains(14UL).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(40)]
    public void WriteState_ReadBack_WritesTheSameBytesAndAnswersTheSame(int values)
    {
        // Inline (1-2 values), an array (3-16), and the Bloom filter.
        var sut = CreateSut();
        for (var i = 0; i < values; i++)
        {
            sut.AddIsNew((ulong)(1_000 + i));
        }

        var bytes = State(ref sut);
        var read = CreateSut();
        var reader = new UsageSentinel.Core.State.StateReader(bytes, "set");
        read.ReadState(ref reader);

        State(ref read).ShouldBe(bytes);
        read.Count.ShouldBe(sut.Count);
        read.StorageBytes.ShouldBe(sut.StorageBytes);
        for (var i = 0; i < values + 5; i++)
        {
            read.Contains((ulong)(1_000 + i)).ShouldBe(sut.Contains((ulong)(1_000 + i)));
        }

        read.AddIsNew(7UL).ShouldBe(sut.AddIsNew(7UL));
        State(ref read).ShouldBe(State(ref sut));
    }

    private static byte[] State(ref FirstSeenSet set)
    {
        using var writer = new UsageSentinel.Core.State.StateWriter();
        set.WriteState(writer);
        return writer.Written.ToArray();
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class EmpiricalTailTests
{
    [Fact]
    public void TailProbability_AllScoresKept_ExactSmoothedShare()
    {
        double[] scores = [1, 2, 2, 3, 5];
        var sut = EmpiricalTail.Create(scores, points: 16);

        sut.TailProbability(0).ShouldBe(6 / 6.0);
        sut.TailProbability(1).ShouldBe(6 / 6.0);
        sut.TailProbability(1.5).ShouldBe(5 / 6.0);
        sut.TailProbability(2).ShouldBe(5 / 6.0);
        sut.TailProbability(2.5).ShouldBe(3 / 6.0);
        sut.TailProbability(5).ShouldBe(2 / 6.0);
        sut.TailProbability(6).ShouldBe(1 / 6.0);
    }

    [Fact]
    public void TailProbability_ManyScores_BoundedMemoryExactTop()
    {
        var scores = Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray();
        var sut = EmpiricalTail.Create(scores, points: 1_024);

        sut.PointCount.ShouldBe(2_048);
        sut.TailProbability(99_999.5).ShouldBe(1 / 100_001.0);
        sut.TailProbability(99_000).ShouldBe(1_001 / 100_001.0);
        // 49,999 scores are ≥ 50,000.3; between kept quantiles the count is interpolated.
        sut.TailProbability(50_000.3).ShouldBe(50_000 / 100_001.0, 1.0 / 100_001);
    }

    [Property]
    public Property TailProbability_MonotoneAndWithinBounds() =>
        Prop.ForAll(
            Gen.Choose(1, 3_000).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 500).Select(v => v / 10.0), n)).ToArbitrary(),
            Gen.Choose(16, 64).ToArbitrary(),
            (scores, points) =>
            {
                Array.Sort(scores);
                var sut = EmpiricalTail.Create(scores, points);
                var previous = 1.0;
                var slack = (double)scores.Length / points;
                for (var s = -1.0; s <= 51; s += 0.25)
                {
                    var tail = sut.TailProbability(s);
                    var exact = (scores.Count(v => v >= s) + 1) / (scores.Length + 1.0);
                    if (tail > previous || tail <= 0 || tail > 1 || Math.Abs(tail - exact) > (slack + 1) / (scores.Length + 1.0))
                    {
                        return false;
                    }

                    previous = tail;
                }

                return true;
            });
}

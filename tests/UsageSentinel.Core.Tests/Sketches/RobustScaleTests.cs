using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class RobustScaleTests
{
    [Fact]
    public void Add_NormalData_MedianAndScaleMatchLocationAndStandardDeviation()
    {
        var random = new Random(3);
        var sut = new RobustScale();
        for (var i = 0; i < 20_000; i++)
        {
            sut.Add(10 + (2 * StreamingQuantileTests.Normal(random)));
        }

        sut.Median.ShouldBe(10, 0.1);
        sut.MedianAbsoluteDeviation.ShouldBe(2 * 0.6745, 0.1);
        sut.Scale.ShouldBe(2, 0.15);
    }

    [Fact]
    public void Add_FivePercentWildOutliers_ScaleBarelyMoves()
    {
        var random = new Random(4);
        var sut = new RobustScale();
        for (var i = 0; i < 20_000; i++)
        {
            sut.Add(i % 20 == 0 ? 1e6 : 10 + (2 * StreamingQuantileTests.Normal(random)));
        }

        sut.Median.ShouldBe(10, 0.25);
        sut.Scale.ShouldBe(2, 0.3);
        sut.ZScore(1e6, 0.01).ShouldBeGreaterThan(100_000);
    }

    [Fact]
    public void ZScore_NoObservations_IsZero_ConstantHistoryUsesTheFloor()
    {
        var sut = new RobustScale();
        sut.ZScore(5, 1).ShouldBe(0);
        sut.Median.ShouldBe(double.NaN);

        for (var i = 0; i < 100; i++)
        {
            sut.Add(4);
        }

        sut.Scale.ShouldBe(0);
        sut.ZScore(6, 0.5).ShouldBe(4);
    }

    [Fact]
    public void Add_ManyObservations_AllocatesNothing()
    {
        var sut = new RobustScale();
        var random = new Random(9);

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sut.Add(random.NextDouble());
            }
        });

        allocated.ShouldBe(0);
    }
}

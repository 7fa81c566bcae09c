using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class HyperLogLogEstimatorTests
{
    private const int Registers = 128;

    private static int[] Histogram(params (int Rank, int Count)[] ranks)
    {
        var counts = new int[16];
        counts[0] = Registers - ranks.Sum(r => r.Count);
        foreach (var (rank, count) in ranks)
        {
            counts[rank] += count;
        }

        return counts;
    }

    [Fact]
    public void Estimate_AllRegistersEmpty_IsZero() =>
        HyperLogLogEstimator.Estimate(Histogram(), Registers).ShouldBe(0);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(10)]
    public void Estimate_FewOccupiedRegisters_IsNearLinearCounting(int occupied)
    {
        var linearCounting = Registers * Math.Log(Registers / (double)(Registers - occupied));

        HyperLogLogEstimator.Estimate(Histogram((1, occupied)), Registers).ShouldBe(linearCounting, linearCounting * 0.02);
    }

    [Fact]
    public void Estimate_MoreOrHigherRanks_NeverDecreases()
    {
        var previous = 0.0;
        for (var occupied = 1; occupied <= Registers; occupied++)
        {
            var estimate = HyperLogLogEstimator.Estimate(Histogram((3, occupied)), Registers);
            estimate.ShouldBeGreaterThan(previous);
            previous = estimate;
        }

        for (var rank = 4; rank <= 15; rank++)
        {
            var estimate = HyperLogLogEstimator.Estimate(Histogram((rank, Registers)), Registers);
            estimate.ShouldBeGreaterThan(previous);
            double.IsFinite(estimate).ShouldBeTrue();
            previous = estimate;
        }
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class EwmaTests
{
    private static readonly long T0 = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc).Ticks;

    [Property(Arbitrary = [typeof(ExtremeDoubles)], Replay = "101,103", MaxTest = 500)]
    public bool Update_AnyFiniteInputs_VarianceIsNeverNegativeAndMeanStaysFinite(double[] values, PositiveInt halfLife)
    {
        var ewma = Ewma.WithHalfLife(1 + (halfLife.Get % 1_000));
        foreach (var value in values)
        {
            ewma = ewma.Update(value);
            if (!(ewma.Variance >= 0) || !double.IsFinite(ewma.Variance) || !double.IsFinite(ewma.Mean))
            {
                return false;
            }
        }

        return true;
    }

    [Property(Arbitrary = [typeof(ExtremeDoubles)], Replay = "103,105", MaxTest = 500)]
    public bool Update_AnyFiniteInputsOverTime_VarianceIsNeverNegative((double Value, short Minutes)[] samples)
    {
        var ewma = Ewma.WithHalfLife(TimeSpan.FromHours(6));
        foreach (var (value, minutes) in samples)
        {
            ewma = ewma.Update(value, T0 + (minutes * 37 * TimeSpan.TicksPerMinute));
            if (!(ewma.Variance >= 0) || !double.IsFinite(ewma.Variance) || !double.IsFinite(ewma.Mean))
            {
                return false;
            }
        }

        return true;
    }

    [Property(Replay = "105,107", MaxTest = 200)]
    public bool Update_ConstantInput_HasThatMeanAndZeroVariance(NormalFloat value, PositiveInt count)
    {
        var ewma = Ewma.WithHalfLife(10);
        for (var i = 0; i < 1 + (count.Get % 50); i++)
        {
            ewma = ewma.Update(value.Get);
        }

        return ewma.Mean == value.Get && ewma.Variance == 0;
    }

    [Fact]
    public void Update_LongHalfLife_MatchesThePlainMeanAndPopulationVariance()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 1_000).Select(_ => random.NextDouble() * 100).ToArray();
        var ewma = Ewma.WithHalfLife(1e12);
        foreach (var value in values)
        {
            ewma = ewma.Update(value);
        }

        var mean = values.Average();
        ewma.Mean.ShouldBe(mean, 1e-6);
        ewma.Variance.ShouldBe(values.Average(v => (v - mean) * (v - mean)), 1e-4);
        ewma.Weight.ShouldBe(1_000, 1e-6);
    }

    [Fact]
    public void Update_HalfLifeOfObservations_MovesHalfwayToANewLevel()
    {
        var ewma = Ewma.WithHalfLife(20);
        for (var i = 0; i < 2_000; i++)
        {
            ewma = ewma.Update(0);
        }

        for (var i = 0; i < 20; i++)
        {
            ewma = ewma.Update(1);
        }

        ewma.Mean.ShouldBe(0.5, 1e-9);
    }

    [Fact]
    public void Update_OneHalfLifeApart_OlderObservationWeighsHalf()
    {
        var ewma = Ewma.WithHalfLife(TimeSpan.FromDays(1))
            .Update(0, T0)
            .Update(3, T0 + TimeSpan.TicksPerDay);

        ewma.Mean.ShouldBe(2, 1e-12); // (0 × 0.5 + 3 × 1) / 1.5
        ewma.Weight.ShouldBe(1.5, 1e-12);

        var late = Ewma.WithHalfLife(TimeSpan.FromDays(1))
            .Update(3, T0 + TimeSpan.TicksPerDay)
            .Update(0, T0);
        late.Mean.ShouldBe(ewma.Mean, 1e-12);
        late.Variance.ShouldBe(ewma.Variance, 1e-12);
    }

    [Fact]
    public void Update_ReturnsANewValue_LeavesTheOriginalUnchanged()
    {
        var empty = Ewma.WithHalfLife(5);
        var one = empty.Update(42);

        empty.IsEmpty.ShouldBeTrue();
        one.Mean.ShouldBe(42);
        one.ShouldNotBe(empty);
        one.ShouldBe(Ewma.WithHalfLife(5).Update(42));
    }

    [Fact]
    public void Update_WrongModeOrDefault_Throws()
    {
        Should.Throw<InvalidOperationException>(() => Ewma.WithHalfLife(5).Update(1, T0));
        Should.Throw<InvalidOperationException>(() => Ewma.WithHalfLife(TimeSpan.FromHours(1)).Update(1));
        Should.Throw<InvalidOperationException>(() => default(Ewma).Update(1));
        Should.Throw<ArgumentOutOfRangeException>(() => Ewma.WithHalfLife(0.5));
    }

    [Fact]
    public void Update_ManyObservations_AllocatesNothing()
    {
        var byCount = Ewma.WithHalfLife(50);
        var byTime = Ewma.WithHalfLife(TimeSpan.FromDays(7));

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                byCount = byCount.Update(i % 17);
                byTime = byTime.Update(i % 13, T0 + (i * TimeSpan.TicksPerMinute));
            }
        });

        allocated.ShouldBe(0);
        byCount.Variance.ShouldBeGreaterThan(0);
    }

    /// <summary>Doubles with the extremes over-represented: ±MaxValue, ±Epsilon, NaN and the infinities.</summary>
    public static class ExtremeDoubles
    {
        public static Arbitrary<double> Doubles() => Gen.Frequency(
            (6, ArbMap.Default.GeneratorFor<double>()),
            (3, Gen.Elements(double.MaxValue, -double.MaxValue, double.Epsilon, -double.Epsilon, 1e308, -1e308, 1e-300, 0.0)),
            (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity))).ToArbitrary();
    }
}

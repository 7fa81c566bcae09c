using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.Distributions;
using UsageSentinel.Core.Baselines;

namespace UsageSentinel.Core.Tests.Baselines;

public sealed class StudentTTailTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(3.182446305284263, 0.95)] // two-sided 95% quantile of t(3)
    [InlineData(5.840909309733350, 0.99)]
    [InlineData(-5.840909309733350, 0.99)]
    [InlineData(12.92397863670134, 0.999)]
    public void TwoSidedConfidence_KnownQuantiles(double t, double expected) =>
        StudentTTail.TwoSidedConfidence(t).ShouldBe(expected, tolerance: 2e-5);

    [Property(Replay = "263,269", MaxTest = 1_000)]
    public Property TwoSidedConfidence_IsWithin2e5OfTheExactDistribution() =>
        Prop.ForAll(Gen.Choose(-200_000, 200_000).Select(i => i / 1_000.0).ToArbitrary(), t =>
            Math.Abs(StudentTTail.TwoSidedConfidence(t) - (1 - (2 * StudentT.CDF(0, 1, 3, -Math.Abs(t))))) < 2e-5
            && Math.Abs(StudentTTail.ClosedForm(t) - (1 - (2 * StudentT.CDF(0, 1, 3, -Math.Abs(t))))) < 1e-12);

    [Property(Replay = "271,277", MaxTest = 1_000)]
    public Property TwoSidedConfidence_IsNonDecreasingInAbsoluteValue_EvenBetweenNeighbouringDoubles() =>
        Prop.ForAll(
            Gen.Frequency(
                (3, Gen.Choose(0, 1_000_000).Select(i => i / 10_000.0)),
                (1, Gen.Choose(0, 300).Select(e => Math.Pow(10, e / 10.0 - 10))),
                (1, Gen.Elements(63.99999999999999, 64.0, 64.00000000000001, 1e-300, 1e300))).ToArbitrary(),
            Gen.Choose(1, 1_000).ToArbitrary(),
            (x, steps) =>
            {
                var next = x;
                for (var i = 0; i < steps; i++)
                {
                    next = Math.BitIncrement(next);
                }

                return StudentTTail.TwoSidedConfidence(x) <= StudentTTail.TwoSidedConfidence(next)
                    && StudentTTail.TwoSidedConfidence(-next) == StudentTTail.TwoSidedConfidence(next);
            });

    [Fact]
    public void TwoSidedConfidence_Extremes_AreOneNotNaN()
    {
        StudentTTail.TwoSidedConfidence(double.MaxValue).ShouldBe(1);
        StudentTTail.TwoSidedConfidence(double.NegativeInfinity).ShouldBe(1);
        StudentTTail.TwoSidedConfidence(1e9).ShouldBe(1);
    }
}

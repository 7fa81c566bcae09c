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
        StudentTTail.TwoSidedConfidence(t).ShouldBe(expected, tolerance: 1e-9);

    [Property(Replay = "263,269", MaxTest = 300)]
    public Property TwoSidedConfidence_MatchesMathNet() =>
        Prop.ForAll(Gen.Choose(-100_000, 100_000).Select(i => i / 1_000.0).ToArbitrary(), t =>
            Math.Abs(StudentTTail.TwoSidedConfidence(t) - (1 - (2 * StudentT.CDF(0, 1, 3, -Math.Abs(t))))) < 1e-9);

    [Fact]
    public void TwoSidedConfidence_Extremes_AreOneNotNaN()
    {
        StudentTTail.TwoSidedConfidence(double.MaxValue).ShouldBe(1);
        StudentTTail.TwoSidedConfidence(double.NegativeInfinity).ShouldBe(1);
        StudentTTail.TwoSidedConfidence(1e9).ShouldBe(1);
    }
}

using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Sketches;
using Xunit.Abstractions;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class StreamingQuantileTests(ITestOutputHelper output)
{
    internal static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Estimate_NoObservations_IsNaN()
    {
        var sut = new StreamingQuantile(0.5);

        sut.Estimate.ShouldBe(double.NaN);
        sut.Count.ShouldBe(0);
    }

    [Fact]
    public void Estimate_FewObservations_IsTheExactInterpolatedQuantile()
    {
        var sut = new StreamingQuantile(0.5);
        sut.Add(3);
        sut.Estimate.ShouldBe(3);
        sut.Add(1);
        sut.Estimate.ShouldBe(2);
        sut.Add(10);
        sut.Estimate.ShouldBe(3);
        sut.Add(double.NaN);
        sut.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("uniform", 0.5, 0.5, 0.01)]
    [InlineData("uniform", 0.9, 0.9, 0.01)]
    [InlineData("uniform", 0.99, 0.99, 0.005)]
    [InlineData("normal", 0.5, 0.0, 0.02)]
    [InlineData("normal", 0.95, 1.6449, 0.04)]
    [InlineData("exponential", 0.5, 0.6931, 0.02)]
    [InlineData("exponential", 0.9, 2.3026, 0.05)]
    [InlineData("lognormal", 0.5, 1.0, 0.02)]
    public void Estimate_KnownDistribution_ConvergesToTheTrueQuantile(string distribution, double quantile, double expected, double tolerance)
    {
        // Tolerance is against the exact quantile of the same sample (the estimator's own error);
        // against the distribution's quantile, sampling error adds about 1/√n.
        var worstSample = 0.0;
        var worstTrue = 0.0;
        for (var seed = 0; seed < 10; seed++)
        {
            var random = new Random(seed);
            var sut = new StreamingQuantile(quantile);
            var values = new double[20_000];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = distribution switch
                {
                    "uniform" => random.NextDouble(),
                    "normal" => Normal(random),
                    "exponential" => -Math.Log(1 - random.NextDouble()),
                    _ => Math.Exp(Normal(random)),
                };
                sut.Add(values[i]);
            }

            Array.Sort(values);
            worstSample = Math.Max(worstSample, Math.Abs(sut.Estimate - values[(int)(quantile * (values.Length - 1))]));
            worstTrue = Math.Max(worstTrue, Math.Abs(sut.Estimate - expected));
        }

        output.WriteLine($"{distribution} q={quantile}: worst |error| over 10 seeds: {worstSample:F4} vs the sample, {worstTrue:F4} vs the distribution");
        worstSample.ShouldBeLessThan(tolerance);
        worstTrue.ShouldBeLessThan(tolerance + 0.05);
    }

    [Property(Replay = "201,203", MaxTest = 300)]
    public bool Estimate_AnyFiniteInputs_StaysWithinTheObservedRange(NormalFloat[] values, PositiveInt quantile)
    {
        var sut = new StreamingQuantile((1 + (quantile.Get % 99)) / 100.0);
        foreach (var value in values)
        {
            sut.Add(value.Get);
        }

        return values.Length == 0
            ? double.IsNaN(sut.Estimate)
            : sut.Estimate >= values.Min(v => v.Get) && sut.Estimate <= values.Max(v => v.Get);
    }

    [Fact]
    public void Add_ManyObservations_AllocatesNothing()
    {
        var sut = new StreamingQuantile(0.95);
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

using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class RobustStandardizerTests
{
    [Fact]
    public void Fit_OddColumn_MedianAndScaledMad()
    {
        float[][] rows = [[1, 0], [2, 0], [3, 0], [4, 0], [100, 0]];

        var sut = RobustStandardizer.Fit(rows, 2, clamp: 20, minimumScale: 0, CancellationToken.None);

        sut.Center[0].ShouldBe(3);
        // |x − 3| = 2, 1, 0, 1, 97 → MAD 1.
        sut.Standardize(0, 4).ShouldBe(1 / 1.4826, 1e-4);
        sut.Standardize(0, 100).ShouldBe(20);
        sut.Standardize(0, -1e30f).ShouldBe(-20);
    }

    [Fact]
    public void Fit_MostlyZero_FallsBackToMeanDeviation()
    {
        var rows = Enumerable.Range(0, 100).Select(i => new float[] { i < 90 ? 0 : 10, 1 }).ToArray();

        var sut = RobustStandardizer.Fit(rows, 2, clamp: 20, minimumScale: 0, CancellationToken.None);

        sut.Center[0].ShouldBe(0);
        sut.Standardize(0, 10).ShouldBe(10 / (1.2533 * 1.0), 1e-3);
        sut.Standardize(1, 1).ShouldBe(0);
        sut.Standardize(1, 3).ShouldBe(2);
    }

    [Fact]
    public void Fit_NearlyConstantColumn_ScaleNotBelowMinimum()
    {
        var rows = Enumerable.Range(0, 100).Select(i => new float[] { 0.5f + (i % 2 * 0.001f) }).ToArray();

        var sut = RobustStandardizer.Fit(rows, 1, clamp: 20, minimumScale: 0.05, CancellationToken.None);

        sut.Standardize(0, 0.6f).ShouldBe(2, 0.05);
    }

    [Fact]
    public void Standardize_NonFinite_MedianOrClamp()
    {
        float[][] rows = [[1], [2], [float.NaN], [3]];

        var sut = RobustStandardizer.Fit(rows, 1, clamp: 5, minimumScale: 0, CancellationToken.None);

        sut.Center[0].ShouldBe(2);
        sut.Standardize(0, float.NaN).ShouldBe(0);
        sut.Standardize(0, float.PositiveInfinity).ShouldBe(5);
        sut.Standardize(0, float.NegativeInfinity).ShouldBe(-5);
    }
}

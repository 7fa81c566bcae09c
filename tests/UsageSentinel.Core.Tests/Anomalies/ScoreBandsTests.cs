using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Core.Tests.Anomalies;

public class ScoreBandsTests
{
    private static readonly Severity[] Severities = [Severity.Low, Severity.Medium, Severity.High, Severity.Critical];

    [Property(Replay = "401,403", MaxTest = 500)]
    public bool Within_AnyScoreAndSeverity_LandsInThatSeverityBand(NormalFloat score, byte severity)
    {
        var band = Severities[severity % 4];

        var placed = ScoreBands.Within(score.Get, band);

        return ScoreBands.SeverityOf(placed) == band && placed is >= 0 and <= 100;
    }

    [Property(Replay = "405,407", MaxTest = 500)]
    public bool FromTailProbability_SmallerProbability_NeverSmallerScore(NormalFloat a, NormalFloat b)
    {
        var p = Math.Abs(a.Get) % 1;
        var q = Math.Abs(b.Get) % 1;
        var (small, large) = p <= q ? (p, q) : (q, p);

        return ScoreBands.FromTailProbability(small) >= ScoreBands.FromTailProbability(large);
    }

    [Property(Replay = "409,411", MaxTest = 500)]
    public bool Within_ScoreAlreadyInBand_Unchanged(NormalFloat score)
    {
        var s = Math.Round(Math.Abs(score.Get) % ScoreBands.Max, 2);

        return ScoreBands.Within(s, ScoreBands.SeverityOf(s)) == s;
    }

    [Theory]
    [InlineData(1e-3, 37.5)]
    [InlineData(1e-4, 50)]
    [InlineData(1e-6, 75)]
    [InlineData(1, 0)]
    [InlineData(0, 99)]
    public void FromTailProbability_Decades_TwelveAndAHalfPointsEach(double p, double expected) =>
        ScoreBands.FromTailProbability(p).ShouldBe(expected, 1e-9);

    [Theory]
    [InlineData(39.99, Severity.Low)]
    [InlineData(40, Severity.Medium)]
    [InlineData(65, Severity.High)]
    [InlineData(85, Severity.Critical)]
    public void SeverityOf_BandEdges(double score, Severity expected) => ScoreBands.SeverityOf(score).ShouldBe(expected);
}

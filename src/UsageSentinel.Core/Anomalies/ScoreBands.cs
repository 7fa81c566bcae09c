namespace UsageSentinel.Core.Anomalies;

/// <summary>
/// One score scale for every detector, so that a score means the same whichever detector raised it: each severity
/// owns a band of scores (low 0–40, medium 40–65, high 65–85, critical 85–100), every open or updated anomaly's
/// score lies in the band of its severity, and detectors with a tail probability map it with
/// <see cref="FromTailProbability"/>.
/// </summary>
public static class ScoreBands
{
    /// <summary>The lowest score of medium severity.</summary>
    public const double Medium = 40;

    /// <summary>The lowest score of high severity.</summary>
    public const double High = 65;

    /// <summary>The lowest score of critical severity.</summary>
    public const double Critical = 85;

    /// <summary>The highest score given.</summary>
    public const double Max = 99;

    /// <summary>Points of score per decade of tail probability in <see cref="FromTailProbability"/>.</summary>
    public const double PointsPerDecade = 12.5;

    /// <summary>Returns the severity whose band holds <paramref name="score"/>.</summary>
    /// <param name="score">A score, 0..100.</param>
    /// <returns>The severity.</returns>
    public static Severity SeverityOf(double score) => score switch
    {
        >= Critical => Severity.Critical,
        >= High => Severity.High,
        >= Medium => Severity.Medium,
        _ => Severity.Low,
    };

    /// <summary>
    /// Maps a tail probability (how often something at least this unusual happens among normal behaviour) to a
    /// score: <see cref="PointsPerDecade"/> points per decade, so 1e-3 gives 37.5, 1e-4 50, 1e-6 75, 1e-7 87.5.
    /// Monotonic: a smaller probability never gives a smaller score.
    /// </summary>
    /// <param name="tailProbability">The probability, 0..1.</param>
    /// <returns>The score, 0..<see cref="Max"/>.</returns>
    public static double FromTailProbability(double tailProbability)
    {
        if (double.IsNaN(tailProbability) || tailProbability >= 1)
        {
            return 0;
        }

        var decades = -Math.Log10(Math.Max(tailProbability, 1e-300));
        return Math.Min(Max, PointsPerDecade * decades);
    }

    /// <summary>Moves <paramref name="score"/> into the band of <paramref name="severity"/> (unchanged when it is already there).</summary>
    /// <param name="score">The detector's own score.</param>
    /// <param name="severity">The severity the detector decided.</param>
    /// <returns>The score within the band, rounded to 2 decimals.</returns>
    public static double Within(double score, Severity severity)
    {
        var (low, high) = severity switch
        {
            Severity.Low => (0.0, Medium - 0.01),
            Severity.Medium => (Medium, High - 0.01),
            Severity.High => (High, Critical - 0.01),
            _ => (Critical, Max),
        };
        return Math.Round(Math.Clamp(double.IsNaN(score) ? low : score, low, high), 2);
    }
}

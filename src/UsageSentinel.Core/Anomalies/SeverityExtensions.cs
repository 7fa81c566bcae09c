namespace UsageSentinel.Core.Anomalies;

/// <summary>Wire names and arithmetic of <see cref="Severity"/>.</summary>
public static class SeverityExtensions
{
    /// <summary>Returns the wire name: <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>The wire name.</returns>
    public static string ToWireName(this Severity severity) => severity switch
    {
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        _ => "critical",
    };

    /// <summary>Lowers a severity by <paramref name="steps"/> bands, never below <see cref="Severity.Low"/>.</summary>
    /// <param name="severity">The severity.</param>
    /// <param name="steps">Bands to lower.</param>
    /// <returns>The lowered severity.</returns>
    public static Severity Lower(this Severity severity, int steps) => (Severity)Math.Max(0, (int)severity - steps);
}

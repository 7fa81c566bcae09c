namespace UsageSentinel.Core.Baselines;

/// <summary>Tail probabilities of the Student-t distribution with 3 degrees of freedom, in closed form.</summary>
internal static class StudentTTail
{
    private const double InvSqrt3 = 0.57735026918962576;
    private const double TwoOverPi = 0.63661977236758134;

    /// <summary>
    /// One minus the two-sided tail probability, P(|T| ≤ |t|) for T ~ t(3), in [0, 1]:
    /// (2/π)(atan u + u / (1 + u²)) with u = |t| / √3.
    /// </summary>
    public static double TwoSidedConfidence(double t)
    {
        var u = Math.Abs(t) * InvSqrt3;
        if (!(u < 1e5))
        {
            // Beyond this the tail, 4 / (3π u³), is below 1e-15; NaN is treated as extreme too.
            return 1.0;
        }

        var confidence = TwoOverPi * (Math.Atan(u) + (u / (1 + (u * u))));
        return Math.Clamp(confidence, 0.0, 1.0);
    }
}

namespace UsageSentinel.Core.Baselines;

/// <summary>
/// How one observation compares with the baseline learnt from the observations before it.
/// </summary>
/// <param name="Value">The observed value, as given.</param>
/// <param name="Expected">The value the baseline expected for this observation's season.</param>
/// <param name="Spread">The robust scale (standard-deviation equivalent) of the residual around <paramref name="Expected"/>; never negative.</param>
/// <param name="Deviation">The signed residual in units of <paramref name="Spread"/>: a robust z-score, positive when above the expectation.</param>
/// <param name="Score">
/// The anomaly score in [0, 1]: one minus the two-sided tail probability of <paramref name="Deviation"/> under a Student-t
/// reference with 3 degrees of freedom; non-decreasing in |<paramref name="Deviation"/>|, and 0 until <paramref name="WarmedUp"/>.
/// </param>
/// <param name="WarmedUp">Whether the baseline had seen (or been seeded with) enough observations to judge this one.</param>
public readonly record struct BaselineVerdict(double Value, double Expected, double Spread, double Deviation, double Score, bool WarmedUp);

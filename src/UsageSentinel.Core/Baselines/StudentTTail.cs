namespace UsageSentinel.Core.Baselines;

/// <summary>
/// The two-sided confidence P(|T| ≤ |t|) of the Student-t distribution with 3 degrees of freedom, evaluated so that it is
/// exactly non-decreasing in |t| in floating point: a closed form would wobble by an ulp where it flattens out.
/// </summary>
/// <remarks>
/// Up to |t| = 64 the closed form (2/π)(atan u + u / (1 + u²)), u = |t| / √3, is tabulated every 1/64 and interpolated
/// linearly (within 2e-5 of it); every step is then a monotone rounded operation on a non-decreasing table. Beyond, the tail
/// is its asymptote c / |t|³, matched at 64.
/// </remarks>
internal static class StudentTTail
{
    private const int StepsPerUnit = 64;
    private const double MaxTabulated = 64;
    private static readonly double[] Table = BuildTable();

    /// <summary>The tail probability at <see cref="MaxTabulated"/> times its cube: beyond, the tail is this over |t|³.</summary>
    private static readonly double TailTimesCube = (1 - Table[^1]) * (MaxTabulated * MaxTabulated * MaxTabulated);

    /// <summary>One minus the two-sided tail probability of <paramref name="t"/> under t(3), in [0, 1]; 1 for NaN.</summary>
    public static double TwoSidedConfidence(double t)
    {
        var x = Math.Abs(t);
        if (!(x < MaxTabulated))
        {
            return double.IsNaN(x) ? 1 : 1 - (TailTimesCube / (x * x * x));
        }

        // x × 64 and its fraction are exact, and Table[i + 1] - Table[i] is exact for neighbours this close, so the
        // interpolation never exceeds the next entry.
        var scaled = x * StepsPerUnit;
        var i = (int)scaled;
        return Table[i] + ((Table[i + 1] - Table[i]) * (scaled - i));
    }

    /// <summary>The closed form, P(|T| ≤ |t|) for T ~ t(3).</summary>
    internal static double ClosedForm(double t)
    {
        var u = Math.Abs(t) / Math.Sqrt(3);
        return Math.Clamp(2 / Math.PI * (Math.Atan(u) + (u / (1 + (u * u)))), 0, 1);
    }

    private static double[] BuildTable()
    {
        var table = new double[((int)MaxTabulated * StepsPerUnit) + 1];
        for (var i = 1; i < table.Length; i++)
        {
            table[i] = Math.Max(table[i - 1], ClosedForm((double)i / StepsPerUnit));
        }

        return table;
    }
}

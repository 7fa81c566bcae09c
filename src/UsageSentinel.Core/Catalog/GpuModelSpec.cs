namespace UsageSentinel.Core.Catalog;

/// <summary>Compute figures of one GPU model.</summary>
/// <param name="Name">Canonical name, e.g. <c>H100-SXM</c>.</param>
/// <param name="DenseBf16TFlops">Dense (not sparse) BF16 peak in TFLOP/s; 0 when unknown.</param>
/// <param name="Tpp">Total processing performance (2 × MacTOPS × bit length).</param>
/// <param name="DieAreaMm2">Die area in mm², for performance density; 0 when unknown.</param>
public sealed record GpuModelSpec(string Name, double DenseBf16TFlops, double Tpp, double DieAreaMm2)
{
    /// <summary>TPP at or above which a model is 3A090.a regardless of density.</summary>
    public const double TppThreshold = 4_800;

    /// <summary>TPP at or above which density decides.</summary>
    public const double DensityTppThreshold = 1_600;

    /// <summary>Performance density at or above which a model with TPP ≥ 1,600 is 3A090.a.</summary>
    public const double DensityThreshold = 5.92;

    /// <summary>Gets the dense BF16 peak in FLOP/s.</summary>
    public double PeakFlopsPerSecond => DenseBf16TFlops * 1e12;

    /// <summary>Gets the performance density, TPP per mm² of die; 0 when the die area is unknown.</summary>
    public double PerformanceDensity => DieAreaMm2 > 0 ? Tpp / DieAreaMm2 : 0;

    /// <summary>Gets the export class computed from TPP and performance density.</summary>
    public ExportClass ExportClass =>
        Tpp >= TppThreshold || (Tpp >= DensityTppThreshold && PerformanceDensity >= DensityThreshold)
            ? ExportClass.Eccn3A090a
            : ExportClass.NotControlled;

    /// <summary>Gets whether the figures are known (a model named by an event but absent from the catalog is not).</summary>
    public bool IsKnown => DenseBf16TFlops > 0;

    /// <summary>Creates the spec of a model the catalog does not know: GPU-hours count, FLOP do not.</summary>
    /// <param name="name">The model name as the event gave it.</param>
    /// <returns>A spec with zero figures.</returns>
    public static GpuModelSpec Unknown(string name) => new(name, 0, 0, 0);
}

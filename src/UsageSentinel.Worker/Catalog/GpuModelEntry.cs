namespace UsageSentinel.Worker.Catalog;

/// <summary>A GPU model given in configuration.</summary>
public sealed class GpuModelEntry
{
    /// <summary>Gets or sets the dense BF16 peak, TFLOP/s.</summary>
    public double DenseBf16TFlops { get; set; }

    /// <summary>Gets or sets the TPP; 16 × the BF16 peak when absent.</summary>
    public double? Tpp { get; set; }

    /// <summary>Gets or sets the die area in mm².</summary>
    public double DieAreaMm2 { get; set; }
}

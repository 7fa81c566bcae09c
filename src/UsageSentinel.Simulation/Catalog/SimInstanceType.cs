namespace UsageSentinel.Simulation.Catalog;

/// <summary>
/// An instance type of the GPU catalog (Core's Catalog/gpu-catalog.json) with what the simulation adds:
/// an on-demand price and the GPU model name it sometimes writes into <c>gpu_model</c>.
/// </summary>
/// <param name="Name">The catalog name.</param>
/// <param name="Provider">The cloud.</param>
/// <param name="GpuModel">The catalog GPU model.</param>
/// <param name="WireGpuModel">A name (model or alias) the simulation writes when it names the model.</param>
/// <param name="GpuCount">GPUs per instance.</param>
/// <param name="DenseBf16Tflops">Dense BF16 peak per GPU, as in the catalog.</param>
/// <param name="FabricGbps">Scale-out network bandwidth, as in the catalog.</param>
/// <param name="HourlyUsd">Rough on-demand price per instance-hour.</param>
internal sealed record SimInstanceType(
    string Name,
    CloudProvider Provider,
    string GpuModel,
    string WireGpuModel,
    int GpuCount,
    double DenseBf16Tflops,
    int FabricGbps,
    decimal HourlyUsd)
{
    /// <summary>Gets whether the GPUs are A100/H100-class (export-restricted).</summary>
    public bool IsRestrictedClass => GpuModel is "A100" or "H100-SXM";
}

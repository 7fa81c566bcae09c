namespace UsageSentinel.Worker.Catalog;

/// <summary>An instance type given in configuration.</summary>
public sealed class InstanceTypeEntry
{
    /// <summary>Gets or sets the GPU model name or alias; must be in the catalog.</summary>
    public string GpuModel { get; set; } = string.Empty;

    /// <summary>Gets or sets the GPUs per instance.</summary>
    public int GpuCount { get; set; }

    /// <summary>Gets or sets the fabric bandwidth, Gbit/s.</summary>
    public double FabricGbps { get; set; }

    /// <summary>Gets or sets the provider.</summary>
    public string Provider { get; set; } = string.Empty;
}

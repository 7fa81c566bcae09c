namespace UsageSentinel.Worker.Catalog;

/// <summary>Overrides and extensions of the shipped GPU catalog (section <c>Catalog</c>).</summary>
public sealed class CatalogOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Catalog";

    /// <summary>Gets or sets a JSON file in the format of the shipped <c>gpu-catalog.json</c>, merged over it.</summary>
    /// <value>The default value is none.</value>
    public string? File { get; set; }

    /// <summary>Gets or sets GPU models to add or replace, by name.</summary>
    public Dictionary<string, GpuModelEntry> GpuModels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets instance types to add or replace, by SKU.</summary>
    public Dictionary<string, InstanceTypeEntry> InstanceTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

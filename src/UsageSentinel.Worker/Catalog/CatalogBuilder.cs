using UsageSentinel.Core.Catalog;

namespace UsageSentinel.Worker.Catalog;

/// <summary>Builds the effective GPU catalog: shipped, then the file, then configured entries.</summary>
public static class CatalogBuilder
{
    /// <summary>Builds the catalog.</summary>
    /// <param name="options">The catalog options.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="InvalidOperationException">A setting is wrong; the message names it.</exception>
    public static GpuCatalog Build(CatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = GpuCatalog.Default;
        if (!string.IsNullOrWhiteSpace(options.File))
        {
            if (!System.IO.File.Exists(options.File))
            {
                throw new InvalidOperationException($"Catalog:File: the file '{options.File}' does not exist.");
            }

            try
            {
                catalog = catalog.Extend(System.IO.File.ReadAllBytes(options.File));
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"Catalog:File: {ex.Message}", ex);
            }
        }

        foreach (var (name, model) in options.GpuModels)
        {
            if (model.DenseBf16TFlops <= 0)
            {
                throw new InvalidOperationException($"Catalog:GpuModels:{name}:DenseBf16TFlops must be greater than 0.");
            }

            catalog = catalog.WithModel(new GpuModelSpec(name, model.DenseBf16TFlops, model.Tpp ?? model.DenseBf16TFlops * 16, model.DieAreaMm2));
        }

        foreach (var (name, type) in options.InstanceTypes)
        {
            if (type.GpuCount < 0)
            {
                throw new InvalidOperationException($"Catalog:InstanceTypes:{name}:GpuCount must not be negative.");
            }

            if (string.IsNullOrWhiteSpace(type.GpuModel) || !catalog.TryGetModel(type.GpuModel, out _))
            {
                throw new InvalidOperationException($"Catalog:InstanceTypes:{name}:GpuModel '{type.GpuModel}' is not a GPU model of the catalog.");
            }

            catalog = catalog.WithInstanceType(name, type.GpuModel, type.GpuCount, type.FabricGbps, type.Provider);
        }

        return catalog;
    }
}

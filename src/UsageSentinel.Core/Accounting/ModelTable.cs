using UsageSentinel.Core.Catalog;

namespace UsageSentinel.Core.Accounting;

/// <summary>Gives each GPU model a small index for per-account arrays. Owned by one detection loop.</summary>
internal sealed class ModelTable
{
    private readonly List<GpuModelSpec> _models = [];
    private readonly Dictionary<string, int> _indexByName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Initializes a new instance of the <see cref="ModelTable"/> class with the catalog's models.</summary>
    /// <param name="catalog">The catalog.</param>
    public ModelTable(GpuCatalog catalog)
    {
        foreach (var model in catalog.Models)
        {
            IndexOf(model);
        }
    }

    /// <summary>Gets the model at <paramref name="index"/>.</summary>
    /// <param name="index">The index.</param>
    public GpuModelSpec this[int index] => _models[index];

    /// <summary>Gets the number of models.</summary>
    public int Count => _models.Count;

    /// <summary>Returns the index of <paramref name="model"/>, adding it when new.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The index.</returns>
    public int IndexOf(GpuModelSpec model)
    {
        if (_indexByName.TryGetValue(model.Name, out var index))
        {
            return index;
        }

        index = _models.Count;
        _models.Add(model);
        _indexByName.Add(model.Name, index);
        return index;
    }

    /// <summary>
    /// Returns the index of the model named <paramref name="name"/>, adding a model the catalog does not know (no
    /// FLOP figures) when new: how restored state maps model names back to this loop's indexes.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <returns>The index.</returns>
    public int IndexOfName(string name) =>
        _indexByName.TryGetValue(name, out var index) ? index : IndexOf(GpuModelSpec.Unknown(name));
}

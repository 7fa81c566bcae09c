using System.Reflection;
using System.Text.Json;

namespace UsageSentinel.Core.Catalog;

/// <summary>
/// Maps instance types to GPU model, GPU count and fabric bandwidth, and GPU models to their compute figures.
/// Immutable and safe to share between detection loops.
/// </summary>
public sealed class GpuCatalog
{
    private const string ResourceName = "UsageSentinel.Core.Catalog.gpu-catalog.json";
    private static readonly Lazy<GpuCatalog> DefaultCatalog = new(LoadDefault);

    private readonly Dictionary<string, GpuModelSpec> _modelsByKey;
    private readonly Dictionary<string, InstanceTypeSpec> _instanceTypes;

    private GpuCatalog(IReadOnlyList<GpuModelSpec> models, Dictionary<string, GpuModelSpec> modelsByKey, Dictionary<string, InstanceTypeSpec> instanceTypes)
    {
        Models = models;
        _modelsByKey = modelsByKey;
        _instanceTypes = instanceTypes;
    }

    /// <summary>Gets the catalog shipped with the application.</summary>
    public static GpuCatalog Default => DefaultCatalog.Value;

    /// <summary>Gets the GPU models, in catalog order.</summary>
    public IReadOnlyList<GpuModelSpec> Models { get; }

    /// <summary>Gets the instance types.</summary>
    public IEnumerable<InstanceTypeSpec> InstanceTypes => _instanceTypes.Values;

    /// <summary>Looks up an instance type by its SKU (case-insensitive).</summary>
    /// <param name="instanceType">The SKU.</param>
    /// <param name="spec">The spec when known.</param>
    /// <returns><see langword="true"/> when the catalog knows the type.</returns>
    public bool TryGetInstanceType(string instanceType, out InstanceTypeSpec spec) =>
        _instanceTypes.TryGetValue(instanceType, out spec!);

    /// <summary>Looks up a GPU model by name or alias; case, spaces, dashes and underscores are ignored.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="spec">The spec when known.</param>
    /// <returns><see langword="true"/> when the catalog knows the model.</returns>
    public bool TryGetModel(string name, out GpuModelSpec spec) => _modelsByKey.TryGetValue(NormalizeModelKey(name), out spec!);

    /// <summary>Parses a catalog document (the format of the shipped <c>gpu-catalog.json</c>).</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="FormatException">The document is not a valid catalog; the message names the entry.</exception>
    public static GpuCatalog Parse(ReadOnlySpan<byte> utf8Json) => Empty.Extend(utf8Json);

    /// <summary>Returns a catalog with the entries of <paramref name="utf8Json"/> added, replacing entries of the same name.</summary>
    /// <param name="utf8Json">A document in the catalog format; either list may be absent.</param>
    /// <returns>The extended catalog.</returns>
    /// <exception cref="FormatException">The document is not a valid catalog; the message names the entry.</exception>
    public GpuCatalog Extend(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"GPU catalog is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var models = new List<GpuModelSpec>();
            var aliases = new List<(string Alias, string Model)>();
            var instanceTypes = new List<(string Name, string Provider, string Model, int Count, double Fabric)>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("GPU catalog must be a JSON object with 'gpu_models' and/or 'instance_types'.");
            }

            if (root.TryGetProperty("gpu_models", out var modelArray))
            {
                foreach (var item in modelArray.EnumerateArray())
                {
                    var name = RequiredString(item, "name", "gpu_models");
                    var tflops = RequiredNumber(item, "dense_bf16_tflops", $"gpu_models[{name}]");
                    var tpp = OptionalNumber(item, "tpp") ?? tflops * 16;
                    var die = OptionalNumber(item, "die_area_mm2") ?? 0;
                    models.Add(new GpuModelSpec(name, tflops, tpp, die));
                    if (item.TryGetProperty("aliases", out var aliasArray) && aliasArray.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var alias in aliasArray.EnumerateArray())
                        {
                            aliases.Add((alias.GetString() ?? string.Empty, name));
                        }
                    }
                }
            }

            if (root.TryGetProperty("instance_types", out var typeArray))
            {
                foreach (var item in typeArray.EnumerateArray())
                {
                    var name = RequiredString(item, "name", "instance_types");
                    var model = RequiredString(item, "gpu_model", $"instance_types[{name}]");
                    var count = (int)RequiredNumber(item, "gpu_count", $"instance_types[{name}]");
                    var provider = item.TryGetProperty("provider", out var p) ? p.GetString() ?? string.Empty : string.Empty;
                    var fabric = OptionalNumber(item, "fabric_gbps") ?? 0;
                    instanceTypes.Add((name, provider, model, count, fabric));
                }
            }

            return With(models, aliases, instanceTypes);
        }
    }

    /// <summary>Returns a catalog with one model added or replaced.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The extended catalog.</returns>
    public GpuCatalog WithModel(GpuModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return With([model], [], []);
    }

    /// <summary>Returns a catalog with one instance type added or replaced; its model must be known.</summary>
    /// <param name="name">The SKU.</param>
    /// <param name="gpuModel">The GPU model name or alias.</param>
    /// <param name="gpuCount">GPUs per instance.</param>
    /// <param name="fabricGbps">Fabric bandwidth in Gbit/s.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>The extended catalog.</returns>
    public GpuCatalog WithInstanceType(string name, string gpuModel, int gpuCount, double fabricGbps, string provider = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(gpuModel);
        ArgumentOutOfRangeException.ThrowIfNegative(gpuCount);
        return With([], [], [(name, provider, gpuModel, gpuCount, fabricGbps)]);
    }

    private static GpuCatalog Empty { get; } = new([], new(StringComparer.Ordinal), new(StringComparer.OrdinalIgnoreCase));

    private GpuCatalog With(
        List<GpuModelSpec> newModels,
        List<(string Alias, string Model)> newAliases,
        List<(string Name, string Provider, string Model, int Count, double Fabric)> newTypes)
    {
        var models = new List<GpuModelSpec>(Models);
        var byKey = new Dictionary<string, GpuModelSpec>(_modelsByKey, StringComparer.Ordinal);
        foreach (var model in newModels)
        {
            var index = models.FindIndex(m => string.Equals(m.Name, model.Name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                var old = models[index];
                models[index] = model;
                foreach (var key in byKey.Where(kv => ReferenceEquals(kv.Value, old)).Select(kv => kv.Key).ToList())
                {
                    byKey[key] = model;
                }
            }
            else
            {
                models.Add(model);
            }

            byKey[NormalizeModelKey(model.Name)] = model;
        }

        foreach (var (alias, modelName) in newAliases)
        {
            byKey[NormalizeModelKey(alias)] = byKey[NormalizeModelKey(modelName)];
        }

        var types = new Dictionary<string, InstanceTypeSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, spec) in _instanceTypes)
        {
            // Re-point existing types at replaced models.
            types[key] = byKey.TryGetValue(NormalizeModelKey(spec.GpuModel.Name), out var current) ? spec with { GpuModel = current } : spec;
        }

        foreach (var (name, provider, modelName, count, fabric) in newTypes)
        {
            if (!byKey.TryGetValue(NormalizeModelKey(modelName), out var model))
            {
                throw new FormatException($"GPU catalog instance type '{name}' names GPU model '{modelName}', which the catalog does not define.");
            }

            if (count < 0)
            {
                throw new FormatException($"GPU catalog instance type '{name}' has a negative gpu_count.");
            }

            types[name] = new InstanceTypeSpec(name, provider, model, count, fabric);
        }

        return new GpuCatalog(models, byKey, types);
    }

    private static string NormalizeModelKey(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 128)];
        var length = 0;
        foreach (var c in name)
        {
            if (length == buffer.Length)
            {
                break;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                buffer[length++] = char.ToUpperInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    private static string RequiredString(JsonElement item, string property, string where) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new FormatException($"GPU catalog entry in {where} needs a non-empty string '{property}'.");

    private static double RequiredNumber(JsonElement item, string property, string where) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.GetDouble() >= 0
            ? value.GetDouble()
            : throw new FormatException($"GPU catalog entry {where} needs a non-negative number '{property}'.");

    private static double? OptionalNumber(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static GpuCatalog LoadDefault()
    {
        using var stream = typeof(GpuCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The shipped GPU catalog resource '{ResourceName}' is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Parse(memory.GetBuffer().AsSpan(0, (int)memory.Length));
    }
}

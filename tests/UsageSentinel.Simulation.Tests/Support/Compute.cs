using System.Reflection;
using System.Text.Json;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Simulation.Tests.Support;

/// <summary>
/// Independent arithmetic over generated events, using Core's GPU catalog (not the simulator's table): GPUs per
/// instance, concurrent GPUs and training compute at the product's default 35 % utilisation.
/// </summary>
public static class Compute
{
    public const double Utilisation = 0.35;

    private static readonly Lazy<Catalog> Shared = new(Load);

    public static Catalog GpuCatalog => Shared.Value;

    public static int GpusOf(ParsedEvent launch)
    {
        if (launch.Root.TryGetProperty("gpu_count", out JsonElement count))
        {
            return count.GetInt32();
        }

        return GpuCatalog.Instances[launch.Text("instance_type")!].GpuCount;
    }

    /// <summary>Launch/termination pairs of one account's events: (launch, end or <paramref name="periodEnd"/>).</summary>
    public static IReadOnlyList<(ParsedEvent Launch, DateTimeOffset End)> Instances(IEnumerable<ParsedEvent> events, DateTimeOffset periodEnd)
    {
        var list = events.ToList();
        var ends = list.Where(e => e.Type == EventTypeNames.InstanceTerminated)
            .ToDictionary(e => e.Text("instance_id")!, e => e.At);
        return list.Where(e => e.Type == EventTypeNames.InstanceLaunched)
            .Select(l => (l, ends.TryGetValue(l.Text("instance_id")!, out DateTimeOffset end) ? end : periodEnd))
            .ToList();
    }

    public static int PeakConcurrentGpus(IEnumerable<ParsedEvent> events, DateTimeOffset periodEnd)
    {
        var steps = new List<(DateTimeOffset At, int Delta)>();
        foreach ((ParsedEvent launch, DateTimeOffset end) in Instances(events, periodEnd))
        {
            int gpus = GpusOf(launch);
            steps.Add((launch.At, gpus));
            steps.Add((end, -gpus));
        }

        int current = 0;
        int peak = 0;
        foreach ((_, int delta) in steps.OrderBy(s => s.At).ThenBy(s => s.Delta))
        {
            current += delta;
            peak = Math.Max(peak, current);
        }

        return peak;
    }

    public static double TrainingFlop(IEnumerable<ParsedEvent> events, DateTimeOffset periodEnd) =>
        Instances(events, periodEnd).Sum(pair =>
        {
            CatalogInstance type = GpuCatalog.Instances[pair.Launch.Text("instance_type")!];
            double tflops = GpuCatalog.GpuTflops[type.GpuModel];
            return (pair.End - pair.Launch.At).TotalSeconds * GpusOf(pair.Launch) * tflops * 1e12 * Utilisation;
        });

    private static Catalog Load()
    {
        Assembly core = typeof(EventTypeNames).Assembly;
        using Stream stream = core.GetManifestResourceStream("UsageSentinel.Core.Catalog.gpu-catalog.json")
            ?? throw new InvalidOperationException("Core no longer embeds the GPU catalog.");
        using var document = JsonDocument.Parse(stream);
        var tflops = new Dictionary<string, double>();
        var aliases = new Dictionary<string, string>();
        foreach (JsonElement model in document.RootElement.GetProperty("gpu_models").EnumerateArray())
        {
            string name = model.GetProperty("name").GetString()!;
            tflops[name] = model.GetProperty("dense_bf16_tflops").GetDouble();
            aliases[name] = name;
            foreach (JsonElement alias in model.GetProperty("aliases").EnumerateArray())
            {
                aliases[alias.GetString()!] = name;
            }
        }

        var instances = new Dictionary<string, CatalogInstance>();
        foreach (JsonElement type in document.RootElement.GetProperty("instance_types").EnumerateArray())
        {
            string name = type.GetProperty("name").GetString()!;
            instances[name] = new CatalogInstance(
                name,
                type.GetProperty("gpu_model").GetString()!,
                type.GetProperty("gpu_count").GetInt32(),
                type.GetProperty("fabric_gbps").GetInt32());
        }

        return new Catalog(tflops, aliases, instances);
    }

    public sealed record Catalog(
        IReadOnlyDictionary<string, double> GpuTflops,
        IReadOnlyDictionary<string, string> GpuModelByAlias,
        IReadOnlyDictionary<string, CatalogInstance> Instances);

    public sealed record CatalogInstance(string Name, string GpuModel, int GpuCount, int FabricGbps);
}

using System.Text.Json;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Influx.Tests.Support;

/// <summary>A real victoria-metrics on a free loopback port, shared by a collection; it accepts InfluxDB.Client's v2 writes.</summary>
public sealed class VictoriaMetricsFixture : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public LocalServer Server { get; private set; } = null!;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static Task<LocalServer> StartServerAsync(int port) =>
        LocalServer.StartAsync(
            "victoria-metrics",
            data => [$"-storageDataPath={data}", $"-httpListenAddr=127.0.0.1:{port}", "-retentionPeriod=100y", "-loggerLevel=WARN"],
            new Uri($"http://127.0.0.1:{port}/health"));

    public async Task InitializeAsync()
    {
        Port = LocalServer.FreePort();
        Server = await StartServerAsync(Port);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Settings for a V2 writer against this server.</summary>
    public Dictionary<string, string?> V2Settings(string worker) => Settings(Url, worker);

    public static Dictionary<string, string?> Settings(string url, string worker) => new()
    {
        ["Metrics:Mode"] = "V2",
        ["Metrics:Url"] = url,
        ["Metrics:Org"] = "usage-sentinel",
        ["Metrics:Bucket"] = "usage_sentinel",
        ["Metrics:Token"] = "test-token",
        ["Metrics:WorkerTag"] = worker,
    };

    /// <summary>Reads back series through <c>/api/v1/export</c> after a forced flush; Influx <c>m f=1</c> is metric <c>m_f</c>.</summary>
    public Task<IReadOnlyList<ExportedSeries>> ExportAsync(string selector) => ExportAsync(_http, Url, selector);

    public static async Task<IReadOnlyList<ExportedSeries>> ExportAsync(HttpClient http, string url, string selector)
    {
        using (var flush = await http.GetAsync(new Uri($"{url}/internal/force_flush")))
        {
            flush.EnsureSuccessStatusCode();
        }

        var text = await http.GetStringAsync(new Uri($"{url}/api/v1/export?match[]={Uri.EscapeDataString(selector)}"));
        var series = new List<ExportedSeries>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var labels = root.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var values = root.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var timestamps = root.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            series.Add(new ExportedSeries(labels, values, timestamps));
        }

        return series;
    }
}

/// <summary>One exported series: labels (with <c>__name__</c>), values and millisecond timestamps.</summary>
public sealed record ExportedSeries(IReadOnlyDictionary<string, string> Labels, double[] Values, long[] Timestamps)
{
    public string Name => Labels["__name__"];
}

[CollectionDefinition(Name)]
public sealed class VictoriaMetricsCollection : ICollectionFixture<VictoriaMetricsFixture>
{
    public const string Name = "victoria-metrics";
}

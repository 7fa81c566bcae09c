using System.Text.Json;

namespace UsageSentinel.TestKit.Servers;

/// <summary>Starts a real Debian <c>victoria-metrics</c> and reads series back; it accepts InfluxDB.Client's v2 writes.</summary>
public static class VictoriaMetrics
{
    /// <summary>Starts victoria-metrics on 127.0.0.1:<paramref name="port"/> with its data in a temp folder.</summary>
    /// <param name="port">The HTTP port.</param>
    /// <returns>The running server.</returns>
    public static Task<LocalServer> StartAsync(int port) =>
        LocalServer.StartAsync(
            "victoria-metrics",
            data => [$"-storageDataPath={data}", $"-httpListenAddr=127.0.0.1:{port}", "-retentionPeriod=100y", "-loggerLevel=WARN"],
            new Uri($"http://127.0.0.1:{port}/health"));

    /// <summary>Settings for a V2 metrics writer against <paramref name="url"/>.</summary>
    /// <param name="url">The server's base URL.</param>
    /// <param name="worker">The worker tag.</param>
    /// <returns>Configuration keys and values.</returns>
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
    /// <param name="http">The client.</param>
    /// <param name="url">The server's base URL.</param>
    /// <param name="selector">A series selector, e.g. <c>{__name__="m_f"}</c>.</param>
    /// <returns>The series.</returns>
    public static async Task<IReadOnlyList<ExportedSeries>> ExportAsync(HttpClient http, string url, string selector)
    {
        ArgumentNullException.ThrowIfNull(http);
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
/// <param name="Labels">The labels.</param>
/// <param name="Values">The values.</param>
/// <param name="Timestamps">Unix milliseconds.</param>
public sealed record ExportedSeries(IReadOnlyDictionary<string, string> Labels, double[] Values, long[] Timestamps)
{
    /// <summary>Gets the metric name.</summary>
    public string Name => Labels["__name__"];
}

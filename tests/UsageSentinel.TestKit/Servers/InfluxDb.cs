using System.Globalization;
using System.Text.Json;

namespace UsageSentinel.TestKit.Servers;

/// <summary>Starts a real Debian <c>influxd</c> 1.6.7 (v1 API only) and queries it with InfluxQL.</summary>
public static class InfluxDb
{
    /// <summary>The database the tests write to.</summary>
    public const string Database = "usage_sentinel";

    /// <summary>Starts influxd with a generated config (data in the temp folder, only the HTTP listener) and creates <see cref="Database"/>.</summary>
    /// <param name="httpPort">The HTTP port.</param>
    /// <returns>The running server.</returns>
    public static async Task<LocalServer> StartAsync(int httpPort)
    {
        var rpcPort = LocalServer.FreePort();
        var server = await LocalServer.StartAsync(
            "influxd",
            data =>
            {
                var config = Path.Combine(data, "influxdb.conf");
                File.WriteAllText(config, Config(data, httpPort, rpcPort));
                return ["run", "-config", config];
            },
            new Uri($"http://127.0.0.1:{httpPort}/ping"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await CreateDatabaseAsync(http, $"http://127.0.0.1:{httpPort}");
        return server;
    }

    /// <summary>Creates <see cref="Database"/>.</summary>
    /// <param name="http">The client.</param>
    /// <param name="url">The server's base URL.</param>
    /// <returns>A task.</returns>
    public static async Task CreateDatabaseAsync(HttpClient http, string url)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var content = new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{Database}\"")]);
        using var response = await http.PostAsync(new Uri($"{url}/query"), content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Settings for a V1 metrics writer against <paramref name="url"/>.</summary>
    /// <param name="url">The server's base URL.</param>
    /// <param name="worker">The worker tag.</param>
    /// <returns>Configuration keys and values.</returns>
    public static Dictionary<string, string?> Settings(string url, string worker) => new()
    {
        ["Metrics:Mode"] = "V1",
        ["Metrics:Url"] = url,
        ["Metrics:Database"] = Database,
        ["Metrics:RetentionPolicy"] = "autogen",
        ["Metrics:WorkerTag"] = worker,
    };

    /// <summary>Runs an InfluxQL query; returns the rows of every series as column → value, with <c>time</c> in Unix ns.</summary>
    /// <param name="http">The client.</param>
    /// <param name="url">The server's base URL.</param>
    /// <param name="influxQl">The query.</param>
    /// <returns>The rows.</returns>
    public static async Task<IReadOnlyList<Dictionary<string, JsonElement>>> QueryAsync(HttpClient http, string url, string influxQl)
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = await http.GetStringAsync(new Uri($"{url}/query?db={Database}&epoch=ns&q={Uri.EscapeDataString(influxQl)}"));
        using var json = JsonDocument.Parse(text);
        var rows = new List<Dictionary<string, JsonElement>>();
        foreach (var result in json.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"InfluxQL error for {influxQl}: {error}");
            }

            if (!result.TryGetProperty("series", out var seriesList))
            {
                continue;
            }

            foreach (var series in seriesList.EnumerateArray())
            {
                var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
                foreach (var values in series.GetProperty("values").EnumerateArray())
                {
                    var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    var i = 0;
                    foreach (var value in values.EnumerateArray())
                    {
                        row[columns[i++]] = value.Clone();
                    }

                    rows.Add(row);
                }
            }
        }

        return rows;
    }

    private static string Config(string data, int httpPort, int rpcPort) => string.Create(CultureInfo.InvariantCulture, $"""
        reporting-disabled = true
        bind-address = "127.0.0.1:{rpcPort}"

        [meta]
          dir = "{data}/meta"

        [data]
          dir = "{data}/data"
          wal-dir = "{data}/wal"
          query-log-enabled = false

        [monitor]
          store-enabled = false

        [http]
          enabled = true
          bind-address = "127.0.0.1:{httpPort}"
          log-enabled = false

        [[graphite]]
          enabled = false

        [[collectd]]
          enabled = false

        [[opentsdb]]
          enabled = false

        [[udp]]
          enabled = false

        [continuous_queries]
          enabled = false
        """);
}

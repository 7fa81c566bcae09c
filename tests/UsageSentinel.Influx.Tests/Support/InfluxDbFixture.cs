using System.Globalization;
using System.Text.Json;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Influx.Tests.Support;

/// <summary>A real Debian influxd 1.6.7 (no <c>/api/v2/write</c>) on free loopback ports, shared by a collection.</summary>
public sealed class InfluxDbFixture : IAsyncLifetime
{
    public const string Database = "usage_sentinel";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public LocalServer Server { get; private set; } = null!;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Starts influxd with a generated config (data in the temp folder, only the HTTP listener) and creates <see cref="Database"/>.</summary>
    public static async Task<LocalServer> StartServerAsync(int httpPort)
    {
        var rpcPort = LocalServer.FreePort();
        return await LocalServer.StartAsync(
            "influxd",
            data =>
            {
                var config = Path.Combine(data, "influxdb.conf");
                File.WriteAllText(config, Config(data, httpPort, rpcPort));
                return ["run", "-config", config];
            },
            new Uri($"http://127.0.0.1:{httpPort}/ping"));
    }

    public static async Task CreateDatabaseAsync(HttpClient http, string url)
    {
        using var content = new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{Database}\"")]);
        using var response = await http.PostAsync(new Uri($"{url}/query"), content);
        response.EnsureSuccessStatusCode();
    }

    public async Task InitializeAsync()
    {
        Port = LocalServer.FreePort();
        Server = await StartServerAsync(Port);
        await CreateDatabaseAsync(_http, Url);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Settings for a V1 writer against this server.</summary>
    public Dictionary<string, string?> V1Settings(string worker) => Settings(Url, worker);

    public static Dictionary<string, string?> Settings(string url, string worker) => new()
    {
        ["Metrics:Mode"] = "V1",
        ["Metrics:Url"] = url,
        ["Metrics:Database"] = Database,
        ["Metrics:RetentionPolicy"] = "autogen",
        ["Metrics:WorkerTag"] = worker,
    };

    /// <summary>Runs an InfluxQL query; returns the rows of every series as column → value, with <c>time</c> in Unix ns.</summary>
    public Task<IReadOnlyList<Dictionary<string, JsonElement>>> QueryAsync(string influxQl) => QueryAsync(_http, Url, influxQl);

    public static async Task<IReadOnlyList<Dictionary<string, JsonElement>>> QueryAsync(HttpClient http, string url, string influxQl)
    {
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

[CollectionDefinition(Name)]
public sealed class InfluxDbCollection : ICollectionFixture<InfluxDbFixture>
{
    public const string Name = "influxdb";
}

using System.Text.Json;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Influx.Tests.Support;

/// <summary>A real Debian influxd 1.6.7 (no <c>/api/v2/write</c>) on free loopback ports, shared by a collection.</summary>
public sealed class InfluxDbFixture : IAsyncLifetime
{
    public const string Database = InfluxDb.Database;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public LocalServer Server { get; private set; } = null!;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static Task<LocalServer> StartServerAsync(int httpPort) => InfluxDb.StartAsync(httpPort);

    public static Task CreateDatabaseAsync(HttpClient http, string url) => InfluxDb.CreateDatabaseAsync(http, url);

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

    /// <summary>Settings for a V1 writer against this server.</summary>
    public Dictionary<string, string?> V1Settings(string worker) => Settings(Url, worker);

    public static Dictionary<string, string?> Settings(string url, string worker) => InfluxDb.Settings(url, worker);

    /// <summary>Runs an InfluxQL query; returns the rows of every series as column → value, with <c>time</c> in Unix ns.</summary>
    public Task<IReadOnlyList<Dictionary<string, JsonElement>>> QueryAsync(string influxQl) => InfluxDb.QueryAsync(_http, Url, influxQl);

    public static Task<IReadOnlyList<Dictionary<string, JsonElement>>> QueryAsync(HttpClient http, string url, string influxQl) =>
        InfluxDb.QueryAsync(http, url, influxQl);
}

[CollectionDefinition(Name)]
public sealed class InfluxDbCollection : ICollectionFixture<InfluxDbFixture>
{
    public const string Name = "influxdb";
}

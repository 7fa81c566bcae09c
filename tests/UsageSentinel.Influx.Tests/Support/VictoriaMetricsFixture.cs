using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Influx.Tests.Support;

/// <summary>A real victoria-metrics on a free loopback port, shared by a collection; it accepts InfluxDB.Client's v2 writes.</summary>
public sealed class VictoriaMetricsFixture : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public LocalServer Server { get; private set; } = null!;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static Task<LocalServer> StartServerAsync(int port) => VictoriaMetrics.StartAsync(port);

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

    public static Dictionary<string, string?> Settings(string url, string worker) => VictoriaMetrics.Settings(url, worker);

    /// <summary>Reads back series through <c>/api/v1/export</c> after a forced flush; Influx <c>m f=1</c> is metric <c>m_f</c>.</summary>
    public Task<IReadOnlyList<ExportedSeries>> ExportAsync(string selector) => VictoriaMetrics.ExportAsync(_http, Url, selector);
}

[CollectionDefinition(Name)]
public sealed class VictoriaMetricsCollection : ICollectionFixture<VictoriaMetricsFixture>
{
    public const string Name = "victoria-metrics";
}

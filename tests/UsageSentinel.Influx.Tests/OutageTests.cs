using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Influx.Tests;

/// <summary>
/// The server goes away mid-stream: writes keep returning, the buffer keeps the newest <c>BufferCapacity</c> points
/// and counts the rest as dropped, one warning is logged, and when a server is back on the same port the buffered
/// points arrive and one information reports the dropped count. Each test starts its own server.
/// </summary>
public sealed class OutageTests : IDisposable
{
    private const int Capacity = 50;
    private const int OutageWrites = 80;
    private const int OutageStartedEvent = 4002;
    private const int OutageEndedEvent = 4003;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Write_V2ServerDownThenBack_KeepsNewestWithinBoundAndDeliversThem()
    {
        var port = LocalServer.FreePort();
        var worker = Some.Id("outage-v2");
        var delivered = await RunOutageAsync(
            port,
            VictoriaMetricsFixture.Settings($"http://127.0.0.1:{port}", worker),
            () => VictoriaMetricsFixture.StartServerAsync(port),
            async url =>
            {
                var series = await VictoriaMetrics.ExportAsync(_http, url, $"worker_health_dead_letters{{worker=\"{worker}\"}}");
                return series.SelectMany(s => s.Values).Select(v => (long)v).ToArray();
            });

        delivered.ShouldBe(NewestPoints());
    }

    [Fact]
    public async Task Write_V1ServerDownThenBackWithoutDatabaseYet_RetriesAndDeliversNewest()
    {
        var port = LocalServer.FreePort();
        var worker = Some.Id("outage-v1");
        var delivered = await RunOutageAsync(
            port,
            InfluxDbFixture.Settings($"http://127.0.0.1:{port}", worker),
            async () =>
            {
                var server = await InfluxDbFixture.StartServerAsync(port);
                await InfluxDbFixture.CreateDatabaseAsync(_http, $"http://127.0.0.1:{port}");
                return server;
            },
            async url =>
            {
                var rows = await InfluxDbFixture.QueryAsync(_http, url, $"SELECT \"dead_letters\" FROM \"worker_health\" WHERE \"worker\" = '{worker}'");
                return rows.Select(r => r["dead_letters"].GetInt64()).ToArray();
            });

        delivered.ShouldBe(NewestPoints());
    }

    private static long[] NewestPoints() => [.. Enumerable.Range(OutageWrites - Capacity + 1, Capacity).Select(i => (long)i)];

    private static async Task<long[]> RunOutageAsync(
        int port, Dictionary<string, string?> settings, Func<Task<LocalServer>> startServer, Func<string, Task<long[]>> readDeadLetters)
    {
        settings["Metrics:BufferCapacity"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Metrics:BatchSize"] = "10";
        var url = $"http://127.0.0.1:{port}";
        var first = await startServer();
        await using var host = await MetricsHost.StartAsync(settings);
        host.Writer.WriteWorkerHealth(Samples.Health(deadLetters: 0, at: Some.Epoch, topics: []));
        await host.WaitWrittenAsync(1);

        await first.DisposeAsync();
        for (var i = 1; i <= OutageWrites; i++)
        {
            host.Writer.WriteWorkerHealth(Samples.Health(deadLetters: i, at: Some.Epoch.AddSeconds(i), topics: []));
        }

        // Every call returned although the server is gone: nothing more was written, the bound holds.
        host.Stats.Written.ShouldBe(1);
        host.Stats.Buffered.ShouldBe(Capacity);
        await Poll.UntilAsync(() => host.Stats.Dropped == OutageWrites - Capacity && host.Stats.FailedBatches >= 3, "the overflow counted as dropped after several failed attempts");
        host.Logs.Count(OutageStartedEvent).ShouldBe(1);
        host.Logs.Count(OutageEndedEvent).ShouldBe(0);

        await using var second = await startServer();
        await host.WaitWrittenAsync(1 + Capacity);

        host.Stats.Dropped.ShouldBe(OutageWrites - Capacity);
        host.Logs.Count(OutageStartedEvent).ShouldBe(1);
        host.Logs.Entries.Where(e => e.EventId == OutageEndedEvent).ShouldHaveSingleItem().Message.ShouldContain($"{OutageWrites - Capacity} points were dropped");
        var delivered = await readDeadLetters(url);
        Array.Sort(delivered);
        return delivered;
    }
}

using Confluent.Kafka;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.IntegrationTests.Metrics;

/// <summary>The worker's metrics through InfluxDB.Client's v2 write API into a real victoria-metrics.</summary>
[Collection(KafkaCollection.Name)]
public sealed class WorkerMetricsTests(KafkaFixture kafka) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = Some.Epoch;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private LocalServer _server = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        var port = LocalServer.FreePort();
        _url = $"http://127.0.0.1:{port}";
        _server = await VictoriaMetrics.StartAsync(port);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Run_TrainingRun_WritesUsageAnomaliesAndHealth()
    {
        var topics = kafka.NewTopics();
        var settings = VictoriaMetrics.Settings(_url, "it-worker")
            .Select(kv => $"--{kv.Key}={kv.Value}")
            .Concat(["--Metrics:FlushInterval=00:00:00.200", "--Pipeline:StatusInterval=00:00:01"])
            .ToArray();
        await using var worker = await WorkerRunner.StartAsync(kafka, topics, settings);
        var events = ContractJson.TrainingRun("acct-metrics", T0, hours: 24, prefix: "met").ToList();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            foreach (var (key, value) in events)
            {
                producer.Produce(topics.Instance, new Message<string, string> { Key = key, Value = value });
            }

            producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        }

        await Wait.UntilAsync(() => worker.Observer.Done.Count == events.Count, TimeSpan.FromSeconds(60), "all events processed");

        var usage = await WaitForSeriesAsync("account_usage_concurrent_gpus{account_id=\"acct-metrics\"}");
        usage.SelectMany(s => s.Values).Max().ShouldBeGreaterThan(0);
        var anomalies = await WaitForSeriesAsync("anomalies_score{detector=\"training_scale\"}");
        anomalies.SelectMany(s => s.Values).ShouldAllBe(v => v >= 0 && v <= 100);
        anomalies.SelectMany(s => s.Values).Max().ShouldBeGreaterThanOrEqualTo(40, "the crossing is at least medium");
        var health = await WaitForSeriesAsync("worker_health_tracked_accounts{worker=\"it-worker\"}", s => s.Values.Contains(1));
        health.SelectMany(s => s.Values).Max().ShouldBe(1);
        var topic = await WaitForSeriesAsync($"worker_topic_events_per_second{{worker=\"it-worker\",topic=\"{topics.Instance}\"}}");
        topic.ShouldNotBeEmpty();
    }

    private async Task<IReadOnlyList<ExportedSeries>> WaitForSeriesAsync(string selector, Func<ExportedSeries, bool>? until = null)
    {
        var series = await Wait.ForAsync(
            () => VictoriaMetrics.ExportAsync(_http, _url, selector), found => found.Any(until ?? (_ => true)), TimeSpan.FromSeconds(60));
        return series.Any(until ?? (_ => true)) ? series : throw new TimeoutException($"No series {selector} in victoria-metrics within 60 s.");
    }
}

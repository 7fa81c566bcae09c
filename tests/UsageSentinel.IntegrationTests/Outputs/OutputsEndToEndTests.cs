using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.Kafka.Anomalies;
using UsageSentinel.Simulation;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Dashboards;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.IntegrationTests.Outputs;

/// <summary>
/// A simulated population through Kafka and the worker to every output at once — a PagerDuty-format receiver,
/// a real Alertmanager, a real InfluxDB 1.6.7 through the v1 write mode — with all three stopped (killed, data kept)
/// for the second half of the run and started again: every incident reaches every routed receiver exactly once, none is lost, and every
/// dashboard query finds the worker's metrics.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class OutputsEndToEndTests(KafkaFixture kafka) : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _outbox = Directory.CreateTempSubdirectory("usage-sentinel-outbox-").FullName;
    private readonly int _influxPort = LocalServer.FreePort();
    private readonly int _alertmanagerPort = LocalServer.FreePort();
    private RecordingHttpReceiver _pagerDuty = null!;
    private LocalServer _influx = null!;
    private LocalServer _alertmanager = null!;

    private string InfluxUrl => $"http://127.0.0.1:{_influxPort}";

    private string AlertmanagerUrl => $"http://127.0.0.1:{_alertmanagerPort}";

    public async Task InitializeAsync()
    {
        _pagerDuty = RecordingHttpReceiver.Start();
        _pagerDuty.RespondWith(202, """{"status":"success"}""");
        _influx = await InfluxDb.StartAsync(_influxPort);
        _alertmanager = await Alertmanager.StartAsync(_alertmanagerPort);
    }

    public async Task DisposeAsync()
    {
        await _pagerDuty.DisposeAsync();
        await _influx.DisposeAsync();
        await _alertmanager.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_outbox, recursive: true);
    }

    [Fact]
    public async Task Run_ReceiversAndMetricsStoppedMidRun_EveryIncidentDeliveredOnceAndDashboardsFilled()
    {
        var topics = kafka.NewTopics();
        var simulator = new PopulationSimulator(new SimulationOptions { Seed = 11, Accounts = 120, Duration = TimeSpan.FromDays(12) });
        var events = simulator.Generate().ToList();
        var half = events.Count / 2;
        await using var worker = await WorkerRunner.StartAsync(kafka, topics, Settings());

        // The first half with every server up.
        Produce(topics, events.Take(half));
        await Wait.UntilAsync(() => worker.Observer.Done.Count >= half, TimeSpan.FromSeconds(120), "the first half processed");
        var anomaliesBeforeOutage = ReadAnomalies(topics.Anomalies);
        var beforeOutage = RoutedIncidents(anomaliesBeforeOutage);
        beforeOutage.ShouldNotBeEmpty("alerts must be delivered before the outage for the restart to risk repeating them");
        await WaitForTriggersAsync(beforeOutage);

        // The second half with the receiver, Alertmanager and InfluxDB all down.
        await _pagerDuty.StopAsync();
        await _alertmanager.StopAsync();
        await _influx.StopAsync();
        Produce(topics, events.Skip(half));
        await Wait.UntilAsync(() => worker.Observer.Done.Count >= events.Count, TimeSpan.FromSeconds(120), "the second half processed");

        // Back up: what waited in the outbox and the metrics buffer arrives.
        _pagerDuty.Restart();
        await _alertmanager.RestartAsync();
        await _influx.RestartAsync();
        var anomalies = ReadAnomalies(topics.Anomalies);
        var routed = RoutedIncidents(anomalies);
        var outageKeys = routed.Except(beforeOutage).ToList();
        outageKeys.ShouldNotBeEmpty("the second half must raise alerts during the outage");
        await WaitForTriggersAsync(routed);

        var triggers = Triggers();
        var duplicates = triggers.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        duplicates.ShouldBeEmpty("one page per incident and severity");
        triggers.Select(t => t.DedupKey).Distinct().Order().ShouldBe(routed.Order());

        var stillOpen = anomalies.GroupBy(a => a.DedupKey).Where(g => g.Last().Status != "resolved").Select(g => g.Key).ToHashSet();
        var inAlertmanager = await AlertmanagerKeysAsync(outageKeys.Where(stillOpen.Contains).ToList());
        inAlertmanager.ShouldBe([.. outageKeys.Where(stillOpen.Contains).Order()], "incidents raised during the outage reach the restarted Alertmanager");

        // Drill into an account whose anomalies were raised during the outage: they waited in the metrics buffer.
        var account = anomalies.ExceptBy(anomaliesBeforeOutage.Select(a => a.AnomalyId), a => a.AnomalyId).First(a => a.Status != "resolved").AccountId;
        var severities = anomalies.Where(a => a.Status != "resolved").Select(a => a.Severity).ToHashSet();
        var empty = await EmptyDashboardQueriesAsync(account, severities);
        empty.ShouldBeEmpty("every dashboard query returns rows over what the worker wrote");
    }

    private string[] Settings() =>
    [
        "--Metrics:Mode=V1",
        $"--Metrics:Url={InfluxUrl}",
        $"--Metrics:Database={InfluxDb.Database}",
        "--Metrics:WorkerTag=e2e",
        "--Metrics:FlushInterval=00:00:00.200",
        "--Metrics:RetryInitialDelay=00:00:00.100",
        "--Metrics:RetryMaxDelay=00:00:00.500",
        "--Pipeline:StatusInterval=00:00:01",
        "--Alerting:Receivers:oncall:Type=pagerduty",
        $"--Alerting:Receivers:oncall:Url={_pagerDuty.Url("/v2/enqueue")}",
        "--Alerting:Receivers:oncall:RoutingKey=e2e-routing-key-0123456789abcdef",
        "--Alerting:Receivers:am:Type=alertmanager",
        $"--Alerting:Receivers:am:Url={AlertmanagerUrl}",
        .. ReceiverTiming("oncall"),
        .. ReceiverTiming("am"),
        "--Alerting:Routes:0:MinSeverity=medium",
        "--Alerting:Routes:0:Receivers:0=oncall",
        "--Alerting:Routes:0:Receivers:1=am",
        $"--Alerting:OutboxPath={_outbox}",
    ];

    private static string[] ReceiverTiming(string name) =>
    [
        $"--Alerting:Receivers:{name}:Cooldown=00:00:00",
        $"--Alerting:Receivers:{name}:RetryCount=1",
        $"--Alerting:Receivers:{name}:RetryDelay=00:00:00.050",
        $"--Alerting:Receivers:{name}:BreakDuration=00:00:00.500",
        $"--Alerting:Receivers:{name}:Timeout=00:00:02",
    ];

    private void Produce(TestTopics topics, IEnumerable<SimulatedEvent> events) => SimulatedInput.Produce(kafka, topics, events);

    private List<AnomalyRecord> ReadAnomalies(string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var ends = partitions.Select(p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value).ToList();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var records = new List<AnomalyRecord>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (records.Count < ends.Sum() && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                records.Add(AnomalyRecord.Parse(result.Message.Value));
            }
        }

        consumer.Close();
        return records;
    }

    private static List<string> RoutedIncidents(IEnumerable<AnomalyRecord> anomalies) =>
        [.. anomalies.Where(a => a.Status != "resolved" && a.Severity is "medium" or "high" or "critical").Select(a => a.DedupKey).Distinct()];

    private List<(string DedupKey, string Severity)> Triggers() =>
        [.. _pagerDuty.Requests
            .Where(r => r.Status == 202)
            .Select(r => r.Json())
            .Where(j => j.GetProperty("event_action").GetString() == "trigger")
            .Select(j => (j.GetProperty("dedup_key").GetString()!, j.GetProperty("payload").GetProperty("severity").GetString()!))];

    private Task WaitForTriggersAsync(List<string> keys) =>
        Wait.UntilAsync(
            () => keys.All(k => Triggers().Any(t => t.DedupKey == k)),
            TimeSpan.FromSeconds(120),
            $"a page for each of {keys.Count} incidents");

    private async Task<List<string>> AlertmanagerKeysAsync(List<string> expected)
    {
        var keys = await Wait.ForAsync(
            async () =>
            {
                var alerts = await _http.GetFromJsonAsync<JsonElement>(new Uri($"{AlertmanagerUrl}/api/v2/alerts"));
                return alerts.EnumerateArray().Select(a => a.GetProperty("labels").GetProperty("dedup_key").GetString()!).ToHashSet();
            },
            found => expected.All(found.Contains),
            TimeSpan.FromSeconds(120));
        return [.. keys.Where(expected.Contains).Order()];
    }

    private static bool SelectsAbsentSeverity(string query, HashSet<string> severities) =>
        new[] { "low", "medium", "high", "critical" }.Any(s => !severities.Contains(s) && query.Contains($"\"severity\" = '{s}'", StringComparison.Ordinal));

    /// <summary>The queries that return no rows although the data they select exists (a severity panel needs that severity).</summary>
    private Task<List<string>> EmptyDashboardQueriesAsync(string account, HashSet<string> severities) =>
        Wait.ForAsync(() => ProbeDashboardsAsync(account, severities), empty => empty.Count == 0, TimeSpan.FromSeconds(120));

    private async Task<List<string>> ProbeDashboardsAsync(string account, HashSet<string> severities)
    {
        var empty = new List<string>();
        foreach (var dashboard in DashboardFile.LoadAll())
        {
            foreach (var (where, query) in dashboard.Queries.Where(q => !SelectsAbsentSeverity(q.Query, severities)))
            {
                // The worker's own health is written at wall-clock time every status interval, the rest at event time:
                // each query gets the range and interval a Grafana user looking at that data would pick.
                var now = DateTimeOffset.UtcNow;
                var expanded = query.Contains("\"worker_health\"", StringComparison.Ordinal) || query.Contains("\"worker_topic\"", StringComparison.Ordinal)
                    ? DashboardFile.Expand(query, account, now.AddMinutes(-15), now.AddMinutes(1), "1s")
                    : DashboardFile.Expand(query, account, Some.Epoch.AddDays(-30), Some.Epoch.AddDays(60));
                if ((await InfluxDb.QueryAsync(_http, InfluxUrl, expanded)).Count == 0)
                {
                    empty.Add($"{where}: {expanded}");
                }
            }
        }

        return empty;
    }
}

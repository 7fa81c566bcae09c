using UsageSentinel.Core.Anomalies;
using UsageSentinel.Influx.Points;
using UsageSentinel.Influx.Schema;
using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;

namespace UsageSentinel.Influx.Tests;

/// <summary>InfluxDB.Client's v2 write path (Mode V2) against a real victoria-metrics, read back through /api/v1/export.</summary>
[Collection(VictoriaMetricsCollection.Name)]
public sealed class V2RoundTripTests(VictoriaMetricsFixture server)
{
    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    [Fact]
    public async Task WriteAccountUsage_V2_ArrivesWithAccountTagFieldsAndEventTime()
    {
        var account = Some.AccountId();
        var sample = Samples.Usage(account);
        await MetricsHost.WriteAsync(server.V2Settings(Some.Id("w")), 3, w => w.WriteAccountUsage(sample));

        var usage = await server.ExportAsync($"{{__name__=~\"{MetricNames.AccountUsage.Measurement}_.*\",{MetricNames.AccountIdKey}=\"{account}\"}}");
        usage.ToDictionary(s => s.Name, s => s.Values.Single()).ShouldBe(new Dictionary<string, double>
        {
            ["account_usage_gpu_hours"] = 96.5,
            ["account_usage_estimated_flop"] = 3.25e21,
            ["account_usage_rolling_estimated_flop"] = 1.5e21,
            ["account_usage_concurrent_gpus"] = 16,
            ["account_usage_spend"] = 1234.5,
        }, ignoreOrder: true);
        usage.ShouldAllBe(s => s.Timestamps.Single() == Ms(sample.EventTime));

        var byModel = await server.ExportAsync($"{{__name__=\"account_gpu_hours_gpu_hours\",{MetricNames.AccountIdKey}=\"{account}\"}}");
        byModel.ToDictionary(s => s.Labels[MetricNames.GpuModelTag], s => s.Values.Single())
            .ShouldBe(Samples.UsageGpuHoursByModel, ignoreOrder: true);
    }

    [Fact]
    public async Task WriteDetectorScore_V2_ArrivesWithAccountAndDetectorTags()
    {
        var account = Some.AccountId();
        var sample = Samples.Score(account, DetectorNames.UsageDeviation, 61.25);
        await MetricsHost.WriteAsync(server.V2Settings(Some.Id("w")), 1, w => w.WriteDetectorScore(sample));

        var series = (await server.ExportAsync($"{{__name__=\"detector_score_score\",account_id=\"{account}\"}}")).ShouldHaveSingleItem();
        series.Labels[MetricNames.DetectorTag].ShouldBe(DetectorNames.UsageDeviation);
        series.Values.ShouldBe([61.25]);
        series.Timestamps.ShouldBe([Ms(sample.EventTime)]);
    }

    [Fact]
    public async Task WriteAnomaly_V2_ArrivesWithBoundedTagsAndNoAccountTag()
    {
        var detector = Some.Id("detector");
        var anomaly = Samples.Anomaly(Some.AccountId(), detector, Severity.Critical);
        await MetricsHost.WriteAsync(server.V2Settings(Some.Id("w")), 1, w => w.WriteAnomaly(anomaly));

        var series = await server.ExportAsync($"{{__name__=~\"anomalies_.*\",detector=\"{detector}\"}}");
        var numeric = series.Where(s => s.Name is "anomalies_score" or "anomalies_confidence").ToDictionary(s => s.Name, s => s.Values.Single());
        numeric.ShouldBe(new Dictionary<string, double> { ["anomalies_score"] = 87.5, ["anomalies_confidence"] = 0.75 }, ignoreOrder: true);
        series.ShouldAllBe(s => s.Labels.Count == 4 && s.Labels["severity"] == "critical" && s.Labels["status"] == "open");
        series.ShouldAllBe(s => s.Timestamps.Single() == Ms(anomaly.EventTime));
        MetricPoints.AnomalyTimestamp(anomaly).ShouldBeInRange(Ms(anomaly.EventTime) * 1_000_000, (Ms(anomaly.EventTime) * 1_000_000) + 999_999);
    }

    [Fact]
    public async Task WriteWorkerHealth_V2_ArrivesPerWorkerAndTopicWithWriterCounters()
    {
        var worker = Some.Id("w");
        var sample = Samples.Health(deadLetters: 5);
        await MetricsHost.WriteAsync(server.V2Settings(worker), 3, w => w.WriteWorkerHealth(sample));

        var health = (await server.ExportAsync($"{{__name__=~\"worker_health_.*\",worker=\"{worker}\"}}")).ToDictionary(s => s.Name, s => s.Values.Single());
        health.Keys.ShouldBe(MetricNames.WorkerHealth.Fields.Select(f => "worker_health_" + f), ignoreOrder: true);
        health["worker_health_dead_letters"].ShouldBe(5);
        health["worker_health_processing_latency_p99_ms"].ShouldBe(12.25);
        health["worker_health_state_bytes"].ShouldBe(123_456_789);
        health["worker_health_alerts_failed"].ShouldBe(1);

        var topics = await server.ExportAsync($"{{__name__=~\"worker_topic_.*\",worker=\"{worker}\"}}");
        topics.Where(s => s.Name == "worker_topic_lag").ToDictionary(s => s.Labels[MetricNames.TopicTag], s => s.Values.Single())
            .ShouldBe(new Dictionary<string, double> { ["gpu.instance-events"] = 42, ["billing.events"] = 7 }, ignoreOrder: true);
        topics.Single(s => s.Name == "worker_topic_events_per_second" && s.Labels["topic"] == "billing.events").Values.ShouldBe([300.25]);
        topics.ShouldAllBe(s => s.Timestamps.Single() == Ms(sample.Timestamp));
    }
}

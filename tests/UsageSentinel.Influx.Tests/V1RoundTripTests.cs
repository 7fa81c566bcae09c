using System.Text.Json;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Influx.Points;
using UsageSentinel.Influx.Schema;
using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;

namespace UsageSentinel.Influx.Tests;

/// <summary>The V1 write mode (line protocol to /write?db=) against a real Debian influxd 1.6.7, read back with InfluxQL.</summary>
[Collection(InfluxDbCollection.Name)]
public sealed class V1RoundTripTests(InfluxDbFixture server)
{
    private static long Ns(DateTimeOffset time) => MetricPoints.ToUnixNanoseconds(time);

    [Fact]
    public async Task WriteAccountUsage_V1_ArrivesWithAccountTagFieldsAndEventTime()
    {
        var account = Some.AccountId();
        var sample = Samples.Usage(account);
        await MetricsHost.WriteAsync(server.V1Settings(Some.Id("w")), 3, w => w.WriteAccountUsage(sample));

        var row = (await server.QueryAsync($"SELECT * FROM \"account_usage\" WHERE \"account_id\" = '{account}'")).ShouldHaveSingleItem();
        row["time"].GetInt64().ShouldBe(Ns(sample.EventTime));
        row[MetricNames.AccountUsage.GpuHours].GetDouble().ShouldBe(96.5);
        row[MetricNames.AccountUsage.EstimatedFlop].GetDouble().ShouldBe(3.25e21);
        row[MetricNames.AccountUsage.RollingEstimatedFlop].GetDouble().ShouldBe(1.5e21);
        row[MetricNames.AccountUsage.ConcurrentGpus].GetInt64().ShouldBe(16);
        row[MetricNames.AccountUsage.Spend].GetDouble().ShouldBe(1234.5);

        var models = await server.QueryAsync($"SELECT \"gpu_hours\", \"gpu_model\" FROM \"account_gpu_hours\" WHERE \"account_id\" = '{account}'");
        models.ToDictionary(r => r["gpu_model"].GetString()!, r => r["gpu_hours"].GetDouble())
            .ShouldBe(Samples.UsageGpuHoursByModel, ignoreOrder: true);
    }

    [Fact]
    public async Task WriteDetectorScore_V1_ArrivesWithAccountAndDetectorTags()
    {
        var account = Some.AccountId();
        var sample = Samples.Score(account, DetectorNames.BillingDeviation, 33.5);
        await MetricsHost.WriteAsync(server.V1Settings(Some.Id("w")), 1, w => w.WriteDetectorScore(sample));

        var row = (await server.QueryAsync($"SELECT * FROM \"detector_score\" WHERE \"account_id\" = '{account}'")).ShouldHaveSingleItem();
        row["detector"].GetString().ShouldBe(DetectorNames.BillingDeviation);
        row["score"].GetDouble().ShouldBe(33.5);
        row["time"].GetInt64().ShouldBe(Ns(sample.EventTime));
    }

    [Fact]
    public async Task WriteAnomaly_V1_KeepsAccountAndDedupKeyAsStringFieldsNotTags()
    {
        var detector = Some.Id("detector");
        var anomaly = Samples.Anomaly(Some.AccountId(), detector, Severity.Medium);
        await MetricsHost.WriteAsync(server.V1Settings(Some.Id("w")), 1, w => w.WriteAnomaly(anomaly));

        var row = (await server.QueryAsync($"SELECT * FROM \"anomalies\" WHERE \"detector\" = '{detector}'")).ShouldHaveSingleItem();
        row["time"].GetInt64().ShouldBe(MetricPoints.AnomalyTimestamp(anomaly));
        row["severity"].GetString().ShouldBe("medium");
        row["status"].GetString().ShouldBe("open");
        row["score"].GetDouble().ShouldBe(87.5);
        row["confidence"].GetDouble().ShouldBe(0.75);
        row["account_id"].GetString().ShouldBe(anomaly.AccountId);
        row["dedup_key"].GetString().ShouldBe(anomaly.DedupKey);
        row["anomaly_id"].GetString().ShouldBe(anomaly.AnomalyId);
        row["summary"].GetString().ShouldBe(anomaly.Summary);

        var tagKeys = await server.QueryAsync("SHOW TAG KEYS FROM \"anomalies\"");
        tagKeys.Select(r => r["tagKey"].GetString()).ShouldBe(["detector", "severity", "status"], ignoreOrder: true);
    }

    [Fact]
    public async Task WriteAnomaly_SameEventTimeAndTags_KeepsEveryAnomalyAndWritingOneTwiceCountsOnce()
    {
        var detector = Some.Id("detector");
        var at = Some.Epoch.AddDays(1);
        var anomalies = Enumerable.Range(0, 20).Select(i => Samples.Anomaly($"acct-{i}", detector, at: at)).ToList();
        await using var host = await MetricsHost.StartAsync(server.V1Settings(Some.Id("w")));

        foreach (var anomaly in anomalies)
        {
            host.Writer.WriteAnomaly(anomaly);
        }

        host.Writer.WriteAnomaly(anomalies[0]);
        await host.WaitWrittenAsync(21);

        var count = (await server.QueryAsync($"SELECT count(\"score\") FROM \"anomalies\" WHERE \"detector\" = '{detector}'")).ShouldHaveSingleItem();
        count["count"].GetInt64().ShouldBe(20);
    }

    [Fact]
    public async Task WriteWorkerHealth_V1_ArrivesPerWorkerAndTopicWithWriterCounters()
    {
        var worker = Some.Id("w");
        var sample = Samples.Health(deadLetters: 9);
        await MetricsHost.WriteAsync(server.V1Settings(worker), 3, w => w.WriteWorkerHealth(sample));

        var health = (await server.QueryAsync($"SELECT * FROM \"worker_health\" WHERE \"worker\" = '{worker}'")).ShouldHaveSingleItem();
        health.Keys.Except(["time", "worker"]).ShouldBe(MetricNames.WorkerHealth.Fields, ignoreOrder: true);
        health["time"].GetInt64().ShouldBe(Ns(sample.Timestamp));
        health["dead_letters"].GetInt64().ShouldBe(9);
        health["duplicates"].GetInt64().ShouldBe(11);
        health["processing_latency_p50_ms"].GetDouble().ShouldBe(1.5);
        health["tracked_accounts"].GetInt64().ShouldBe(50_000);
        health["anomalies"].GetInt64().ShouldBe(13);
        health["alerts_delivered"].GetInt64().ShouldBe(12);
        health["metrics_dropped"].GetInt64().ShouldBe(0);

        var topics = await server.QueryAsync($"SELECT * FROM \"worker_topic\" WHERE \"worker\" = '{worker}'");
        topics.ToDictionary(r => r["topic"].GetString()!, r => (r["events_per_second"].GetDouble(), r["lag"].GetInt64()))
            .ShouldBe(new Dictionary<string, (double, long)> { ["gpu.instance-events"] = (1250.5, 42), ["billing.events"] = (300.25, 7) }, ignoreOrder: true);
    }

    [Fact]
    public async Task Write_NonFiniteValues_AreLeftOutAndTheBatchIsStillAccepted()
    {
        var account = Some.AccountId();
        var sample = Samples.Usage(account) with { Spend = double.NaN, EstimatedFlop = double.PositiveInfinity, GpuHoursByModel = [] };
        await using var host = await MetricsHost.StartAsync(server.V1Settings(Some.Id("w")));

        host.Writer.WriteAccountUsage(sample);
        host.Writer.WriteDetectorScore(Samples.Score(account, score: double.NaN));
        await host.WaitWrittenAsync(1);

        var row = (await server.QueryAsync($"SELECT * FROM \"account_usage\" WHERE \"account_id\" = '{account}'")).ShouldHaveSingleItem();
        row[MetricNames.AccountUsage.Spend].ValueKind.ShouldBe(JsonValueKind.Null);
        row[MetricNames.AccountUsage.EstimatedFlop].ValueKind.ShouldBe(JsonValueKind.Null);
        row[MetricNames.AccountUsage.GpuHours].GetDouble().ShouldBe(96.5);
        host.Stats.Dropped.ShouldBe(0);
        (await server.QueryAsync($"SELECT * FROM \"detector_score\" WHERE \"account_id\" = '{account}'")).ShouldBeEmpty();
    }
}

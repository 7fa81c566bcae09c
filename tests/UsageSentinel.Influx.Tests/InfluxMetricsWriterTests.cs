using UsageSentinel.Influx.Buffering;
using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace UsageSentinel.Influx.Tests;

/// <summary>The writer's cardinality bounds, on a host that is built but not started (points stay in the buffer).</summary>
public sealed class InfluxMetricsWriterTests
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Metrics:Mode"] = "V1",
        ["Metrics:Url"] = "http://127.0.0.1:9",
        ["Metrics:Database"] = "db",
        ["Metrics:MaxAccounts"] = "2",
        ["Metrics:MaxGpuModels"] = "1",
    };

    private static string[] Lines(MetricsHost host)
    {
        var buffer = host.Services.GetRequiredService<PointBuffer>();
        var batch = new List<InfluxDB.Client.Writes.PointData>();
        buffer.PeekBatch(batch, 1_000);
        return [.. batch.Select(p => p.ToLineProtocol())];
    }

    [Fact]
    public async Task WriteAccountUsage_MoreAccountsThanMaxAccounts_SkipsAndCountsTheRest()
    {
        await using var host = MetricsHost.Create(_settings);

        host.Writer.WriteAccountUsage(Samples.Usage("acct-a") with { GpuHoursByModel = [] });
        host.Writer.WriteDetectorScore(Samples.Score("acct-b"));
        host.Writer.WriteAccountUsage(Samples.Usage("acct-c") with { GpuHoursByModel = [] });
        host.Writer.WriteDetectorScore(Samples.Score("acct-c"));
        host.Writer.WriteAccountUsage(Samples.Usage("acct-a") with { GpuHoursByModel = [] });

        host.Stats.SkippedAccountSamples.ShouldBe(2);
        Lines(host).Select(l => l.Split(' ')[0]).ShouldBe(["account_usage,account_id=acct-a", "detector_score,account_id=acct-b,detector=resale_proxy", "account_usage,account_id=acct-a"]);
    }

    [Fact]
    public async Task WriteAccountUsage_MoreGpuModelsThanMaxGpuModels_SumsTheRestAsOther()
    {
        await using var host = MetricsHost.Create(_settings);

        host.Writer.WriteAccountUsage(Samples.Usage("acct-a") with { GpuHoursByModel = [new("H100", 10), new("A100", 5), new("L4", 2.5)] });

        Lines(host).Where(l => l.StartsWith("account_gpu_hours", StringComparison.Ordinal)).Select(l => l[..l.LastIndexOf(' ')]).ShouldBe(
        [
            "account_gpu_hours,account_id=acct-a,gpu_model=H100 gpu_hours=10",
            "account_gpu_hours,account_id=acct-a,gpu_model=other gpu_hours=7.5",
        ]);
    }

    [Fact]
    public async Task WriteWorkerHealth_Always_AddsTheWritersOwnCounters()
    {
        _settings["Metrics:WorkerTag"] = "w-1";
        await using var host = MetricsHost.Create(_settings);
        host.Writer.WriteAccountUsage(Samples.Usage(Some.AccountId()));
        host.Writer.WriteAccountUsage(Samples.Usage(Some.AccountId()));
        host.Writer.WriteAccountUsage(Samples.Usage(Some.AccountId()));

        host.Writer.WriteWorkerHealth(Samples.Health(topics: []));

        var health = Lines(host).Single(l => l.StartsWith("worker_health", StringComparison.Ordinal));
        health.ShouldStartWith("worker_health,worker=w-1 ");
        health.ShouldContain("metrics_buffered=6i");
        health.ShouldContain("metrics_skipped_account_samples=1i");
        health.ShouldContain("metrics_dropped=0i");
    }

    [Fact]
    public async Task Write_DefaultOrOutOfRangeTimes_WritesNothing()
    {
        await using var host = MetricsHost.Create(_settings);

        host.Writer.WriteWorkerHealth(default);
        host.Writer.WriteAccountUsage(Samples.Usage("acct-a", at: DateTimeOffset.MaxValue));
        host.Writer.WriteDetectorScore(Samples.Score("acct-a", at: default(DateTimeOffset)));
        host.Writer.WriteAnomaly(Samples.Anomaly("acct-a", at: new DateTimeOffset(1600, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        host.Writer.WriteWorkerHealth(Samples.Health(at: Some.Epoch, topics: []));

        Lines(host).ShouldHaveSingleItem().ShouldStartWith("worker_health");
    }
}

using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using Serilog;
using UsageSentinel.Cli.Commands;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.TestKit.Servers;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.IntegrationTests.Health;

/// <summary>The endpoints of a real worker host against the embedded Kafka.</summary>
[Collection(KafkaCollection.Name)]
public sealed class WorkerHealthTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly int _port = LocalServer.FreePort();

    private string[] HealthSettings => ["--Health:Enabled=true", "--Health:Address=127.0.0.1", $"--Health:Port={_port.ToString(CultureInfo.InvariantCulture)}"];

    private HealthOptions ProbeOptions => new() { Address = "127.0.0.1", Port = _port };

    [Fact]
    public async Task Worker_WithPartitions_IsLiveAndReadyAndClosesThePortWhenStopped()
    {
        var worker = await WorkerRunner.StartAsync(kafka, kafka.NewTopics(), HealthSettings);
        try
        {
            var ready = await HealthHttp.UntilAsync(_port, HealthConstants.ReadyPath, HttpStatusCode.OK, Deadline);
            var (liveStatus, live) = await HealthHttp.GetAsync(_port, HealthConstants.LivePath);

            ready.GetProperty("status").GetString().ShouldBe("Healthy");
            ready.GetProperty("checks").GetProperty("partitions").GetProperty("status").GetString().ShouldBe("Healthy");
            ready.GetProperty("consumer_lag").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
            liveStatus.ShouldBe(HttpStatusCode.OK);
            live.GetProperty("checks").GetProperty("consume_loop").GetProperty("status").GetString().ShouldBe("Healthy");
            (await ProbeAsync(ready: false)).ShouldBe(0);
            (await ProbeAsync(ready: true)).ShouldBe(0);
            var heartbeat = worker.Pipeline.LastPollTimestamp;
            await Wait.UntilAsync(() => worker.Pipeline.LastPollTimestamp > heartbeat, Deadline, "the consume loop's heartbeat to move on");
        }
        finally
        {
            await worker.DisposeAsync();
        }

        HealthHttp.IsClosed(_port).ShouldBeTrue();
        (await ProbeAsync(ready: false)).ShouldBe(1);
    }

    [Fact]
    public async Task Worker_BrokerUnreachable_IsLiveButNotReady()
    {
        var unreachable = LocalServer.FreePort();
        string[] settings =
        [
            $"--Kafka:BootstrapServers=127.0.0.1:{unreachable.ToString(CultureInfo.InvariantCulture)}",
            "--Kafka:GroupId=health-unreachable",
            "--Pipeline:Shards=1",
            "--Pipeline:DrainTimeout=00:00:02",
            .. HealthSettings,
        ];
        using var logger = new LoggerConfiguration().MinimumLevel.Fatal().CreateLogger();
        using var host = WorkerHostFactory.Create(settings, logger);
        await host.StartAsync();
        try
        {
            await HealthHttp.UntilAsync(_port, HealthConstants.LivePath, HttpStatusCode.OK, Deadline);
            var (status, body) = await HealthHttp.GetAsync(_port, HealthConstants.ReadyPath);

            status.ShouldBe(HttpStatusCode.ServiceUnavailable);
            body.GetProperty("status").GetString().ShouldBe("Unhealthy");
            body.GetProperty("checks").GetProperty("partitions").GetProperty("description").GetString().ShouldBe("Waiting for the consumer group to assign partitions and for their state to be restored.");
            body.ToString().ShouldNotContain(unreachable.ToString(CultureInfo.InvariantCulture));
            (await ProbeAsync(ready: true)).ShouldBe(1);
            (await ProbeAsync(ready: false)).ShouldBe(0);
        }
        finally
        {
            await host.StopAsync();
        }

        HealthHttp.IsClosed(_port).ShouldBeTrue();
    }

    private async Task<int> ProbeAsync(bool ready) =>
        await HealthProbe.RunAsync(ProbeOptions, ready, TimeSpan.FromSeconds(5), TextWriter.Null, TextWriter.Null, CancellationToken.None);
}

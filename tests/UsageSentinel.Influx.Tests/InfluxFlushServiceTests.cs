using InfluxDB.Client.Writes;
using Microsoft.Extensions.DependencyInjection;
using UsageSentinel.Influx.Sinks;
using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Influx.Tests;

public sealed class InfluxFlushServiceTests
{
    private const string Token = "tok-9f8e7d6c5b4a-SECRET";
    private const string Password = "pw-0a1b2c3d-SECRET";

    [Fact]
    public async Task Write_WhileTheServerHangs_ReturnsAndBuffersWithinTheBound()
    {
        var sink = new HangingSink();
        var settings = new Dictionary<string, string?>
        {
            ["Metrics:Mode"] = "V2",
            ["Metrics:Url"] = "http://127.0.0.1:9",
            ["Metrics:Org"] = "o",
            ["Metrics:Bucket"] = "b",
            ["Metrics:Token"] = "t",
            ["Metrics:BufferCapacity"] = "100",
            ["Metrics:BatchSize"] = "10",
        };
        await using var host = await MetricsHost.StartAsync(settings, services => services.AddSingleton<IPointSink>(sink));
        host.Writer.WriteAnomaly(Samples.Anomaly("acct-0"));
        await sink.Entered.Task.WaitAsync(Poll.DefaultTimeout);

        for (var i = 1; i <= 300; i++)
        {
            host.Writer.WriteAnomaly(Samples.Anomaly($"acct-{i}"));
        }

        host.Stats.Buffered.ShouldBe(100);
        host.Stats.Written.ShouldBe(0);
        sink.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Write_ServerRejectsBatchAsInvalid_DropsItLogsAndGoesOn()
    {
        var sink = new ScriptedSink(WriteOutcome.Rejected("HTTP 400: field type conflict"), WriteOutcome.Written);
        var settings = new Dictionary<string, string?>
        {
            ["Metrics:Mode"] = "V1",
            ["Metrics:Url"] = "http://127.0.0.1:9",
            ["Metrics:Database"] = "db",
            ["Metrics:BatchSize"] = "1",
        };
        await using var host = await MetricsHost.StartAsync(settings, services => services.AddSingleton<IPointSink>(sink));

        host.Writer.WriteAnomaly(Samples.Anomaly("acct-1"));
        await Poll.UntilAsync(() => host.Stats.Dropped == 1, "the rejected batch dropped");
        host.Writer.WriteAnomaly(Samples.Anomaly("acct-2"));
        await host.WaitWrittenAsync(1);

        host.Stats.FailedBatches.ShouldBe(1);
        host.Logs.Entries.Where(e => e.EventId == 4004).ShouldHaveSingleItem().Message.ShouldContain("field type conflict");
        host.Logs.Count(4002).ShouldBe(0);
    }

    [Theory]
    [InlineData("V2")]
    [InlineData("V1")]
    public async Task Logs_DuringOutageAndStop_NeverContainTokenOrPassword(string mode)
    {
        var url = $"http://127.0.0.1:{LocalServer.FreePort()}";
        var settings = mode == "V2"
            ? VictoriaMetricsFixture.Settings(url, "w")
            : InfluxDbFixture.Settings(url, "w");
        settings["Metrics:Token"] = Token;
        settings["Metrics:Username"] = "writer";
        settings["Metrics:Password"] = Password;
        var host = await MetricsHost.StartAsync(settings);

        host.Writer.WriteAnomaly(Samples.Anomaly(Some.AccountId()));
        await Poll.UntilAsync(() => host.Logs.Count(4002) == 1 && host.Stats.FailedBatches >= 2, "the outage warning");
        await host.DisposeAsync();

        host.Logs.Entries.Where(e => e.EventId == 4002).ShouldHaveSingleItem().Message.ShouldContain(url);
        host.Logs.Entries.Where(e => e.EventId == 4005).ShouldHaveSingleItem().Message.ShouldContain("1 left unsent");
        host.Logs.AllText.ShouldNotContain(Token);
        host.Logs.AllText.ShouldNotContain(Password);
        host.Logs.AllText.ShouldNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("writer:" + Password)));
    }

    /// <summary>Never answers until cancelled, like a server that accepts the connection and hangs.</summary>
    private sealed class HangingSink : IPointSink
    {
        private int _calls;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public string Target => "hanging";

        public async Task<WriteOutcome> WriteAsync(List<PointData> batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return WriteOutcome.Written;
        }
    }

    /// <summary>Answers with the given outcomes in turn, then keeps answering with the last.</summary>
    private sealed class ScriptedSink(params WriteOutcome[] outcomes) : IPointSink
    {
        private int _next;

        public string Target => "scripted";

        public Task<WriteOutcome> WriteAsync(List<PointData> batch, CancellationToken cancellationToken) =>
            Task.FromResult(outcomes[Math.Min(_next++, outcomes.Length - 1)]);
    }
}

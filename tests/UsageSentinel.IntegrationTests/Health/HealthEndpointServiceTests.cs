using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UsageSentinel.TestKit.Servers;
using UsageSentinel.Worker;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.IntegrationTests.Health;

/// <summary>The real endpoint over real HTTP, on a pipeline status the test sets by hand.</summary>
public sealed class HealthEndpointServiceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly int _port = LocalServer.FreePort();
    private readonly StubPipelineStatus _pipeline;
    private IHost? _host;
    private bool _started;

    public HealthEndpointServiceTests() => _pipeline = new StubPipelineStatus(_time);

    private IHost CreateSut(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Health:Address"] = "127.0.0.1",
            ["Health:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Health:LivenessStallTimeout"] = "00:00:30",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IPipelineStatus>(_pipeline);
        builder.Services.AddUsageSentinelHealth();
        _host = builder.Build();
        return _host;
    }

    private async Task StartAsync(IHost host)
    {
        await host.StartAsync();
        _started = true;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            if (_started)
            {
                await _host.StopAsync();
            }

            _host.Dispose();
        }
    }

    /// <summary>
    /// Clients connecting while the endpoint starts and stops (a probe, a port scan) neither fail the start nor crash
    /// the process; the managed HttpListener used before did both on Linux (dotnet/corefx#35191).
    /// </summary>
    [Fact]
    public async Task Start_WhileClientsKeepConnecting_StartsAndAnswers()
    {
        using var stop = new CancellationTokenSource();
        var connecting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, _port);
                }
                catch (SocketException)
                {
                    // Not listening at this moment.
                }
            }
        });

        try
        {
            for (var i = 0; i < 200; i++)
            {
                var host = CreateSut();
                await host.StartAsync();
                var (status, body) = await HealthHttp.GetAsync(_port, HealthConstants.LivePath);
                await host.StopAsync();
                host.Dispose();
                _host = null;

                status.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable);
                body.GetProperty("status").GetString().ShouldNotBeNullOrEmpty();
            }
        }
        finally
        {
            await stop.CancelAsync();
            await connecting;
        }
    }

    [Fact]
    public async Task Ready_BeforePartitions_Is503ThenAfterAssignment200()
    {
        await StartAsync(CreateSut());
        _pipeline.ConsumerLag = 7;

        var (before, beforeBody) = await HealthHttp.GetAsync(_port, HealthConstants.ReadyPath);
        _pipeline.IsReady = true;
        var (after, afterBody) = await HealthHttp.GetAsync(_port, HealthConstants.ReadyPath);

        before.ShouldBe(HttpStatusCode.ServiceUnavailable);
        beforeBody.GetProperty("status").GetString().ShouldBe("Unhealthy");
        beforeBody.GetProperty("checks").GetProperty("partitions").GetProperty("status").GetString().ShouldBe("Unhealthy");
        after.ShouldBe(HttpStatusCode.OK);
        afterBody.GetProperty("status").GetString().ShouldBe("Healthy");
        afterBody.GetProperty("consumer_lag").GetInt64().ShouldBe(7);
        afterBody.GetProperty("checks").EnumerateObject().Select(p => p.Name).ShouldBe(["partitions"]);
    }

    [Fact]
    public async Task Live_StalledLoop_Is503UntilItPollsAgain()
    {
        await StartAsync(CreateSut());

        (await HealthHttp.GetAsync(_port, HealthConstants.LivePath)).Status.ShouldBe(HttpStatusCode.OK);
        _time.Advance(TimeSpan.FromSeconds(31));
        var (stalled, body) = await HealthHttp.GetAsync(_port, HealthConstants.LivePath);
        _pipeline.Poll();

        stalled.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("checks").GetProperty("consume_loop").GetProperty("description").GetString()!.ShouldContain("not polled");
        (await HealthHttp.GetAsync(_port, HealthConstants.LivePath)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Live_NotReady_IsStill200()
    {
        await StartAsync(CreateSut());

        var (status, body) = await HealthHttp.GetAsync(_port, HealthConstants.LivePath + "/");

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("checks").EnumerateObject().Select(p => p.Name).ShouldBe(["consume_loop"]);
    }

    [Fact]
    public async Task OtherPathsAndMethods_Answer404And405()
    {
        await StartAsync(CreateSut());

        (await HealthHttp.SendAsync(_port, HttpMethod.Get, "/health")).ShouldBe(HttpStatusCode.NotFound);
        (await HealthHttp.SendAsync(_port, HttpMethod.Post, HealthConstants.LivePath)).ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await HealthHttp.SendAsync(_port, HttpMethod.Head, HealthConstants.LivePath)).ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Clients that connect and send nothing (a port scan, a stuck probe) do not hold up the next probe.</summary>
    [Fact]
    public async Task Probe_WhileIdleClientsHoldConnections_IsAnsweredFirst()
    {
        await StartAsync(CreateSut());
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                idle.Add(client);
            }

            var (status, _) = await HealthHttp.GetAsync(_port, HealthConstants.LivePath);

            status.ShouldBe(HttpStatusCode.OK);
            foreach (var client in idle)
            {
                // Answered one at a time, the probe would have waited until the server gave up on these (closing them).
                client.Client.Poll(0, SelectMode.SelectRead).ShouldBeFalse("the idle connection is still open");
            }
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Stop_ClosesThePort()
    {
        var host = CreateSut();
        await StartAsync(host);
        HealthHttp.IsClosed(_port).ShouldBeFalse();

        await host.StopAsync();

        HealthHttp.IsClosed(_port).ShouldBeTrue();
    }

    [Fact]
    public async Task Start_Disabled_ListensNowhere()
    {
        await StartAsync(CreateSut(("Health:Enabled", "false")));

        HealthHttp.IsClosed(_port).ShouldBeTrue();
    }

    [Fact]
    public async Task Start_PortTaken_FailsTheStart()
    {
        using var taken = new TcpListener(IPAddress.Loopback, _port);
        taken.Start();

        await Should.ThrowAsync<SocketException>(() => CreateSut().StartAsync());
    }

    [Theory]
    [InlineData("Health:Port", "0", "Port")]
    [InlineData("Health:LivenessStallTimeout", "00:00:00", "LivenessStallTimeout")]
    [InlineData("Health:Address", "example.org", "Health:Address")]
    public async Task Start_InvalidSetting_FailsNamingIt(string key, string value, string named)
    {
        var ex = await Should.ThrowAsync<OptionsValidationException>(() => CreateSut((key, value)).StartAsync());

        ex.OptionsType.ShouldBe(typeof(HealthOptions));
        ex.Message.ShouldContain(named);
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Ports;
using UsageSentinel.TestKit.Ports;
using UsageSentinel.TestKit.Servers;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Delivery;

namespace UsageSentinel.Webhooks.Tests;

public sealed class WebhooksServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void AddUsageSentinelWebhooks_Registered_ResolvesNotifierStatsLoggingSinkAndDispatcher()
    {
        using var host = Build(new AlertingConfig(_directory.Path));

        host.Services.GetRequiredService<IAlertNotifier>().ShouldBeOfType<AlertNotifier>();
        host.Services.GetRequiredService<IUndeliverableAlertSink>().ShouldBeOfType<LoggingUndeliverableAlertSink>();
        host.Services.GetRequiredService<AlertingStats>().ShouldBeSameAs(host.Services.GetRequiredService<AlertingStats>());
        host.Services.GetServices<IHostedService>().ShouldContain(s => s is AlertDispatcherService);
    }

    [Fact]
    public void AddUsageSentinelWebhooks_SinkRegisteredFirst_KeepsIt()
    {
        var services = new ServiceCollection();
        var sink = new InMemoryUndeliverableAlertSink();
        services.AddSingleton<IUndeliverableAlertSink>(sink);

        services.AddUsageSentinelWebhooks();

        services.Where(d => d.ServiceType == typeof(IUndeliverableAlertSink)).ShouldHaveSingleItem().ImplementationInstance.ShouldBeSameAs(sink);
    }

    [Fact]
    public async Task StartAsync_InvalidConfiguration_FailsNamingTheSettingWithoutSecrets()
    {
        var config = new AlertingConfig(_directory.Path)
            .Set("Alerting:Receivers:oncall:Type", "pagerduty")
            .Set("Alerting:Receivers:chat:Type", "slack")
            .Set("Alerting:Receivers:chat:Url", "hooks.slack.com" + AlertingConfig.SlackPath)
            .Set("Alerting:Receivers:siem:Type", "webhook")
            .Set("Alerting:Receivers:siem:Url", "https://siem.example/x")
            .Set("Alerting:Receivers:siem:HmacKey", "SECRET-short")
            .Route("oncall,chat,siem");
        using var host = Build(config);

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Message.ShouldContain("Alerting:Receivers:oncall:RoutingKey is required for type pagerduty.");
        error.Message.ShouldContain("Alerting:Receivers:chat:Url must be an absolute http or https URL.");
        error.Message.ShouldContain("Alerting:Receivers:siem:HmacKey must be at least 16 characters.");
        foreach (var secret in AlertingConfig.Secrets)
        {
            error.Message.ShouldNotContain(secret);
        }
    }

    [Fact]
    public void Options_SecretsFromEnvironmentVariables_AreBound()
    {
        var name = "env" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable($"Alerting__Receivers__{name}__Type", "pagerduty");
        Environment.SetEnvironmentVariable($"Alerting__Receivers__{name}__RoutingKey", AlertingConfig.RoutingKey);
        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new AlertingConfig(_directory.Path).Settings).AddEnvironmentVariables();
            builder.Services.AddUsageSentinelWebhooks();
            using var host = builder.Build();

            var receiver = host.Services.GetRequiredService<IOptions<AlertingOptions>>().Value.Receivers[name];

            receiver.Type.ShouldBe(ReceiverType.PagerDuty);
            receiver.RoutingKey.ShouldBe(AlertingConfig.RoutingKey);
            receiver.EffectiveUrl.ShouldBe(WebhooksConstants.PagerDutyUrl);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"Alerting__Receivers__{name}__Type", null);
            Environment.SetEnvironmentVariable($"Alerting__Receivers__{name}__RoutingKey", null);
        }
    }

    [Fact]
    public async Task Logs_EveryReceiverTypeWithRetriesRejectionsAndOutages_NeverContainASecret()
    {
        await using var up = RecordingHttpReceiver.Start();
        await using var down = RecordingHttpReceiver.Start();
        await down.StopAsync();
        up.Enqueue(503);
        up.Enqueue(429, headers: new Dictionary<string, string> { ["Retry-After"] = "0" });
        up.Enqueue(400, $"bad key {AlertingConfig.RoutingKey} at {AlertingConfig.SlackPath}");
        var config = new AlertingConfig(_directory.Path)
            .Receiver("pd", "pagerduty", up.BaseUrl)
            .Receiver("slack", "slack", up.BaseUrl)
            .Receiver("og", "opsgenie", up.BaseUrl)
            .Receiver("am", "alertmanager", up.BaseUrl)
            .Receiver("hook", "webhook", up.BaseUrl)
            .Receiver("slackdown", "slack", down.BaseUrl, ("RetryCount", "1"))
            .Receiver("pddown", "pagerduty", down.BaseUrl, ("RetryCount", "1"))
            .Route("pd,slack,og,am,hook,slackdown,pddown");
        var incident = AnAnomaly.Open(severity: Severity.Medium);
        await using (var harness = await AlertingHarness.StartAsync(config))
        {
            await harness.Notifier.NotifyAsync(incident, CancellationToken.None);
            await harness.Notifier.NotifyAsync(AnAnomaly.Updated(incident, Severity.Critical), CancellationToken.None);
            await harness.Notifier.NotifyAsync(AnAnomaly.Resolved(incident), CancellationToken.None);
            // The dead receivers keep the update and the resolution (the open is superseded); the live ones drain.
            string[] expected = ["delivered to slack", "Delivery to slackdown failed", "dead-lettered: rejected"];
            await Eventually.TrueAsync(
                () => harness.Stats.Pending == 4 && harness.Stats.FailedAttempts >= 6
                    && expected.All(e => harness.Logs.Lines.Any(l => l.Contains(e, StringComparison.Ordinal))),
                "deliveries to the live receivers, a rejection, failures for the dead ones");
            var lines = harness.Logs.Lines;

            lines.Count.ShouldBeGreaterThan(50);
            foreach (var secret in AlertingConfig.Secrets)
            {
                lines.ShouldAllBe(l => !l.Contains(secret, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Logs_DefaultHttpClientLogging_WouldShowTheSlackToken()
    {
        await using var receiver = RecordingHttpReceiver.Start();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddHttpClient("plain");
        await using var provider = services.BuildServiceProvider();

        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("plain")
            .PostAsync(new Uri(receiver.BaseUrl, AlertingConfig.SlackPath), new StringContent("{}"));

        logs.Lines.ShouldContain(l => l.Contains(AlertingConfig.SlackPath, StringComparison.Ordinal));
    }

    public void Dispose() => _directory.Dispose();

    private static IHost Build(AlertingConfig config) =>
        AlertingHarness.BuildHost(config, null, new InMemoryUndeliverableAlertSink(), new CapturingLoggerProvider(), replaceSink: false);
}

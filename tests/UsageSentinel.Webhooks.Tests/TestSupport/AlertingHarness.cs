using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UsageSentinel.Core.Ports;
using UsageSentinel.TestKit.Ports;
using UsageSentinel.Webhooks.Delivery;

namespace UsageSentinel.Webhooks.Tests.TestSupport;

/// <summary>The real host with <see cref="WebhooksServiceCollectionExtensions.AddUsageSentinelWebhooks"/>, an in-memory sink and captured logs.</summary>
internal sealed class AlertingHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private AlertingHarness(IHost host, InMemoryUndeliverableAlertSink sink, CapturingLoggerProvider logs)
    {
        _host = host;
        Sink = sink;
        Logs = logs;
        Notifier = host.Services.GetRequiredService<IAlertNotifier>();
        Stats = host.Services.GetRequiredService<AlertingStats>();
    }

    public IAlertNotifier Notifier { get; }

    public AlertingStats Stats { get; }

    public InMemoryUndeliverableAlertSink Sink { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _host.Services;

    public static IHost BuildHost(AlertingConfig config, TimeProvider? time, InMemoryUndeliverableAlertSink sink, CapturingLoggerProvider logs, bool replaceSink = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(config.Settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddUsageSentinelWebhooks();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        if (replaceSink)
        {
            builder.Services.AddSingleton<IUndeliverableAlertSink>(sink);
        }

        return builder.Build();
    }

    public static async Task<AlertingHarness> StartAsync(AlertingConfig config, TimeProvider? time = null, InMemoryUndeliverableAlertSink? sink = null)
    {
        sink ??= new InMemoryUndeliverableAlertSink();
        var logs = new CapturingLoggerProvider();
        var host = BuildHost(config, time, sink, logs);
        await host.StartAsync();
        return new AlertingHarness(host, sink, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

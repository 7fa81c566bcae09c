using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Microsoft.Extensions.Configuration;
using UsageSentinel.Core.Ports;
using UsageSentinel.Influx;
using UsageSentinel.Webhooks;
using UsageSentinel.Worker.Pipeline;
using UsageSentinel.Worker;

namespace UsageSentinel.Cli.Hosting;

/// <summary>Builds the worker host: configuration, Serilog, options validated at start, the Kafka pipeline.</summary>
internal static class WorkerHostFactory
{
    public static IHost Create(IEnumerable<string> overrides, Serilog.ILogger logger, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddSentinelSources(overrides);
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(45);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddUsageSentinelInflux();
        if (builder.Configuration.GetSection("Alerting:Receivers").GetChildren().Any())
        {
            // On-call alerting only when receivers are configured: the outbox and dispatcher stay off otherwise.
            builder.Services.AddUsageSentinelWebhooks();
            builder.Services.AddSingleton<IUndeliverableAlertSink, KafkaUndeliverableAlertSink>();
        }

        builder.Services.AddUsageSentinelWorker();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}

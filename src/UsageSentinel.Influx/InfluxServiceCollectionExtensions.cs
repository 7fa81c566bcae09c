using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Ports;
using UsageSentinel.Influx.Buffering;
using UsageSentinel.Influx.Configuration;
using UsageSentinel.Influx.Sinks;

namespace UsageSentinel.Influx;

/// <summary>Registers the InfluxDB metrics writer.</summary>
public static class InfluxServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="InfluxOptions"/> from section <c>Metrics</c> (validated at start), and registers
    /// <see cref="IMetricsWriter"/> (a <see cref="NullMetricsWriter"/> when <c>Metrics:Mode</c> is <c>Disabled</c>),
    /// <see cref="InfluxWriterStats"/> and the background flusher.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddUsageSentinelInflux(this IServiceCollection services)
    {
        services.AddOptions<InfluxOptions>().BindConfiguration(InfluxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InfluxOptions>, InfluxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InfluxWriterStats>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<InfluxOptions>>().Value;
            return new PointBuffer(options.BufferCapacity, options.BatchSize, sp.GetRequiredService<InfluxWriterStats>());
        });
        services.TryAddSingleton<IPointSink>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<InfluxOptions>>().Value;
            return options.Mode switch
            {
                MetricsMode.V2 => new V2PointSink(options),
                MetricsMode.V1 => new V1PointSink(options),
                _ => DisabledSink.Instance,
            };
        });
        services.TryAddSingleton<IMetricsWriter>(sp =>
            sp.GetRequiredService<IOptions<InfluxOptions>>().Value.Mode == MetricsMode.Disabled
                ? NullMetricsWriter.Instance
                : ActivatorUtilities.CreateInstance<InfluxMetricsWriter>(sp));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<InfluxFlushService>(sp));
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Ports;
using UsageSentinel.Detection.ML.Population;
using UsageSentinel.Kafka.Configuration;
using UsageSentinel.Worker.Catalog;
using UsageSentinel.Worker.Health;
using UsageSentinel.Worker.Pipeline;
using UsageSentinel.Worker.State;

namespace UsageSentinel.Worker;

/// <summary>Registers the worker.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>The configuration section of the <c>population_outlier</c> model (rank, seed, …).</summary>
    public const string PopulationModelSection = "PopulationModel";

    /// <summary>Adds the options, the GPU catalog, the health endpoints and the Kafka pipeline, validated at start.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddUsageSentinelWorker(this IServiceCollection services)
    {
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DetectionOptions>().BindConfiguration(DetectionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DetectionOptions>, DetectionOptionsValidator>();
        services.AddOptions<RandomizedPcaPopulationOptions>().BindConfiguration(PopulationModelSection).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMetricsWriter>(NullMetricsWriter.Instance);
        services.AddSingleton(sp =>
        {
            var catalog = CatalogBuilder.Build(sp.GetRequiredService<IOptions<CatalogOptions>>().Value);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("UsageSentinel.Catalog");
            logger.CatalogLoaded(catalog.Models.Count, catalog.InstanceTypes.Count(), sp.GetRequiredService<IOptions<CatalogOptions>>().Value.File ?? "shipped");
            return catalog;
        });
        services.AddSingleton<KafkaPipelineService>();
        services.AddSingleton<IPipelineStatus>(sp => sp.GetRequiredService<KafkaPipelineService>());
        services.AddUsageSentinelHealth();
        services.AddHostedService(sp => sp.GetRequiredService<KafkaPipelineService>());
        return services;
    }

    /// <summary>
    /// Adds the <c>Health</c> options, the liveness and readiness checks, and the endpoint that serves them.
    /// Registered before the pipeline, so it starts first and stops last. Needs an <see cref="IPipelineStatus"/>.
    /// </summary>
    internal static IServiceCollection AddUsageSentinelHealth(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddSingleton<ConsumeLoopLivenessCheck>();
        services.AddSingleton<PartitionsReadinessCheck>();
        services.AddHealthChecks()
            .AddCheck<ConsumeLoopLivenessCheck>(HealthConstants.ConsumeLoopCheck, tags: [HealthConstants.LiveTag])
            .AddCheck<PartitionsReadinessCheck>(HealthConstants.PartitionsCheck, tags: [HealthConstants.ReadyTag]);
        services.AddHostedService<HealthEndpointService>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using UsageSentinel.Core.Ports;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Delivery;
using UsageSentinel.Webhooks.Outbox;
using UsageSentinel.Webhooks.Routing;

namespace UsageSentinel.Webhooks;

/// <summary>Registers on-call alerting.</summary>
public static class WebhooksServiceCollectionExtensions
{
    private const string PipelineName = "alerting";
    private const int CircuitMinimumThroughput = 3;
    private static readonly TimeSpan CircuitSamplingDuration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds on-call alerting: <see cref="AlertingOptions"/> bound from <c>Alerting</c> and validated at start, the
    /// <see cref="IAlertNotifier"/>, the durable outbox, the dispatcher (a hosted service), <see cref="AlertingStats"/>,
    /// a logging <see cref="IUndeliverableAlertSink"/> unless one is registered (a later registration also wins), and
    /// the <see cref="WebhooksConstants.HttpClientName"/> client: default HTTP logging removed (it logs URLs, and Slack
    /// URLs hold a token), then per receiver a resilience pipeline of jittered retry (408, 429, 5xx, network errors,
    /// honouring <c>Retry-After</c>), circuit breaker and attempt timeout.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddUsageSentinelWebhooks(this IServiceCollection services)
    {
        services.AddOptions<AlertingOptions>().BindConfiguration(AlertingOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertingOptions>, AlertingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertingStats>();
        services.TryAddSingleton(sp => new AlertRouter(sp.GetRequiredService<IOptions<AlertingOptions>>().Value));
        services.TryAddSingleton<AlertOutbox>();
        services.TryAddSingleton<AlertNotifier>();
        services.TryAddSingleton<IAlertNotifier>(sp => sp.GetRequiredService<AlertNotifier>());
        services.TryAddSingleton<IUndeliverableAlertSink, LoggingUndeliverableAlertSink>();
        services.AddHostedService<AlertDispatcherService>();

        var client = services.AddHttpClient(WebhooksConstants.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        client.AddResilienceHandler(PipelineName, ConfigurePipeline)
            .SelectPipelineBy(static _ => static request =>
                request.Options.TryGetValue(DeliveryRequestOptions.Receiver, out var receiver) ? receiver : string.Empty);
        client.AddHttpMessageHandler(sp => new AttemptCountingHandler(sp.GetRequiredService<AlertingStats>()));
        return services;
    }

    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var receivers = context.ServiceProvider.GetRequiredService<IOptions<AlertingOptions>>().Value.Receivers;
        var options = receivers.TryGetValue(context.InstanceName, out var found) ? found : new ReceiverOptions();
        var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
        builder.TimeProvider = time;
        if (options.RetryCount > 0)
        {
            var maxDelay = options.MaxRetryDelay;
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.RetryCount,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = maxDelay,

                // Retry-After is honoured, but capped like the backoff (Polly would wait as long as the receiver says).
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(
                    RetryAfterHeader.Read(args.Outcome.Result, time.GetUtcNow()) is { } delay ? (TimeSpan?)(delay < maxDelay ? delay : maxDelay) : null),
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = CircuitMinimumThroughput,
            SamplingDuration = CircuitSamplingDuration,
            BreakDuration = options.BreakDuration,
        });
        builder.AddTimeout(options.Timeout);
    }
}

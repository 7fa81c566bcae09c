using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace UsageSentinel.Worker.Health;

/// <summary>Liveness: the consume loop is running and has polled Kafka within <see cref="HealthOptions.LivenessStallTimeout"/>.</summary>
internal sealed class ConsumeLoopLivenessCheck : IHealthCheck
{
    private readonly IPipelineStatus _pipeline;
    private readonly TimeProvider _time;
    private readonly TimeSpan _stallTimeout;

    public ConsumeLoopLivenessCheck(IPipelineStatus pipeline, IOptions<HealthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pipeline = pipeline;
        _time = time;
        _stallTimeout = options.Value.LivenessStallTimeout;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_pipeline.HasStopped)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The consume loop has stopped."));
        }

        var sincePoll = _time.GetElapsedTime(_pipeline.LastPollTimestamp);
        var seconds = Math.Max(0, sincePoll.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture);
        return Task.FromResult(sincePoll > _stallTimeout
            ? HealthCheckResult.Unhealthy($"The consume loop has not polled for {seconds} s (limit {_stallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s).")
            : HealthCheckResult.Healthy($"Last poll {seconds} s ago."));
    }
}

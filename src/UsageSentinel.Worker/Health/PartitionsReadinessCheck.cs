using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UsageSentinel.Worker.Health;

/// <summary>Readiness: the consumer has joined its group and has partitions assigned.</summary>
internal sealed class PartitionsReadinessCheck(IPipelineStatus pipeline) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            pipeline.HasStopped ? HealthCheckResult.Unhealthy("The consume loop has stopped.")
            : pipeline.IsReady ? HealthCheckResult.Healthy("Partitions assigned.")
            : HealthCheckResult.Unhealthy("Waiting for the consumer group to assign partitions."));
}

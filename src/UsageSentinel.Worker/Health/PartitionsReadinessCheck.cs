using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UsageSentinel.Worker.Health;

/// <summary>Readiness: the worker has joined its group, has partitions, and has restored their state.</summary>
internal sealed class PartitionsReadinessCheck(IPipelineStatus pipeline) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            pipeline.HasStopped ? HealthCheckResult.Unhealthy("The consume loop has stopped.")
            : pipeline.IsReady ? HealthCheckResult.Healthy($"Partitions assigned and restored: {string.Join(",", pipeline.OwnedPartitions.Order())}.")
            : HealthCheckResult.Unhealthy("Waiting for the consumer group to assign partitions and for their state to be restored."));
}

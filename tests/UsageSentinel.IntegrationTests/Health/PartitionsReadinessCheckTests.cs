using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.IntegrationTests.Health;

public sealed class PartitionsReadinessCheckTests
{
    private readonly StubPipelineStatus _pipeline = new(new FakeTimeProvider());

    private async Task<HealthCheckResult> CheckAsync() => await new PartitionsReadinessCheck(_pipeline).CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task Check_NoPartitionsYet_IsUnhealthy()
    {
        var result = await CheckAsync();

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldBe("Waiting for the consumer group to assign partitions and for their state to be restored.");
    }

    [Fact]
    public async Task Check_PartitionsAssigned_IsHealthy()
    {
        _pipeline.IsReady = true;

        (await CheckAsync()).Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Check_LoopStopped_IsUnhealthy()
    {
        _pipeline.IsReady = true;
        _pipeline.HasStopped = true;

        var result = await CheckAsync();

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldBe("The consume loop has stopped.");
    }
}

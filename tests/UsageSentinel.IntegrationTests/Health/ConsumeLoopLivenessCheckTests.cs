using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.IntegrationTests.Health;

public sealed class ConsumeLoopLivenessCheckTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly HealthOptions _options = new() { LivenessStallTimeout = TimeSpan.FromMinutes(2) };
    private readonly StubPipelineStatus _pipeline;

    public ConsumeLoopLivenessCheckTests() => _pipeline = new StubPipelineStatus(_time);

    private ConsumeLoopLivenessCheck CreateSut() => new(_pipeline, Options.Create(_options), _time);

    private async Task<HealthCheckResult> CheckAsync() => await CreateSut().CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task Check_RecentPoll_IsHealthy()
    {
        _time.Advance(TimeSpan.FromSeconds(30));
        _pipeline.Poll();
        _time.Advance(TimeSpan.FromSeconds(1));

        var result = await CheckAsync();

        result.Status.ShouldBe(HealthStatus.Healthy);
        result.Description.ShouldBe("Last poll 1.0 s ago.");
    }

    [Fact]
    public async Task Check_PollExactlyAtTheLimit_IsHealthy()
    {
        _time.Advance(_options.LivenessStallTimeout);

        (await CheckAsync()).Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Check_NoPollBeyondTheLimit_IsUnhealthyNamingTheLimit()
    {
        _time.Advance(_options.LivenessStallTimeout + TimeSpan.FromSeconds(1));

        var result = await CheckAsync();

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldBe("The consume loop has not polled for 121.0 s (limit 120 s).");
    }

    [Fact]
    public async Task Check_PollAfterAStall_IsHealthyAgain()
    {
        _time.Advance(TimeSpan.FromMinutes(5));
        (await CheckAsync()).Status.ShouldBe(HealthStatus.Unhealthy);

        _pipeline.Poll();

        (await CheckAsync()).Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Check_LoopStopped_IsUnhealthyEvenWithARecentPoll()
    {
        _pipeline.HasStopped = true;

        var result = await CheckAsync();

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldBe("The consume loop has stopped.");
    }
}

using UsageSentinel.Worker.Health;

namespace UsageSentinel.IntegrationTests.Health;

/// <summary>A pipeline status the test sets by hand.</summary>
internal sealed class StubPipelineStatus(TimeProvider time) : IPipelineStatus
{
    public bool IsReady { get; set; }

    public bool HasStopped { get; set; }

    public long LastPollTimestamp { get; set; } = time.GetTimestamp();

    public long ConsumerLag { get; set; }

    public void Poll() => LastPollTimestamp = time.GetTimestamp();
}

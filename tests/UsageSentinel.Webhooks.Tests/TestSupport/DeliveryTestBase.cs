using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Webhooks.Tests.TestSupport;

/// <summary>A recording HTTP server and an outbox folder per test, for tests that deliver through the real host.</summary>
public abstract class DeliveryTestBase : IAsyncLifetime
{
    private RecordingHttpReceiver? _server;

    protected TempDirectory OutboxDirectory { get; } = new();

    protected RecordingHttpReceiver Server => _server ?? throw new InvalidOperationException("Not initialized.");

    public Task InitializeAsync()
    {
        _server = RecordingHttpReceiver.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        OutboxDirectory.Dispose();
    }

    protected AlertingConfig Config() => new(OutboxDirectory.Path);
}

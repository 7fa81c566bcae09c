using UsageSentinel.Core.Ports;

namespace UsageSentinel.TestKit.Ports;

/// <summary>An <see cref="IUndeliverableAlertSink"/> that keeps what it is given.</summary>
public sealed class InMemoryUndeliverableAlertSink : IUndeliverableAlertSink
{
    private readonly Lock _gate = new();
    private readonly List<UndeliverableAlert> _alerts = [];

    public IReadOnlyList<UndeliverableAlert> Alerts
    {
        get
        {
            lock (_gate)
            {
                return [.. _alerts];
            }
        }
    }

    public ValueTask PublishAsync(UndeliverableAlert alert, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _alerts.Add(alert);
        }

        return ValueTask.CompletedTask;
    }
}

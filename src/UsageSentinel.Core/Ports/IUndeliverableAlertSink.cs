namespace UsageSentinel.Core.Ports;

/// <summary>
/// Receives alerts that alerting gave up on (rejected by the receiver, too old, or no room to store them), e.g. to
/// publish them on a dead-letter topic. An alert handed here has left the alerting outbox.
/// </summary>
public interface IUndeliverableAlertSink
{
    /// <summary>Publishes an undeliverable alert. Returns once it is stored.</summary>
    /// <param name="alert">The alert and why it was not delivered.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the alert is stored.</returns>
    ValueTask PublishAsync(UndeliverableAlert alert, CancellationToken cancellationToken);
}

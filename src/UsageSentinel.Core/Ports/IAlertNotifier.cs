using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Core.Ports;

/// <summary>
/// Hands anomalies to on-call alerting. An implementation routes each anomaly to its receivers and stores one
/// delivery per receiver durably before it returns; delivery itself happens later, in the background, and survives
/// receiver outages and process restarts.
/// </summary>
public interface IAlertNotifier
{
    /// <summary>
    /// Accepts <paramref name="anomaly"/> for delivery. Returns once the alert is durably stored for every receiver
    /// whose route matches (or once it is clear that no route matches, or that a receiver already has it). Call it
    /// before committing the offset of the event that raised the anomaly: a crash after it returns does not lose the
    /// alert. Calling it again with the same anomaly (a redelivered event) does not alert twice.
    /// </summary>
    /// <param name="anomaly">The anomaly.</param>
    /// <param name="cancellationToken">Stops waiting; the alert may or may not have been stored.</param>
    /// <returns>A task that completes when the alert is stored.</returns>
    ValueTask NotifyAsync(AnomalyDetected anomaly, CancellationToken cancellationToken);
}

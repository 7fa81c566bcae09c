using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Ports;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;
using UsageSentinel.Webhooks.Routing;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>
/// Routes an anomaly and stores one delivery per receiver in the outbox (fsynced) before returning; the
/// <see cref="AlertDispatcherService"/> delivers them. When the outbox is full, the alert goes to the
/// <see cref="IUndeliverableAlertSink"/> instead (reason <c>outbox_full</c>), so it is never dropped silently.
/// </summary>
internal sealed class AlertNotifier(
    AlertRouter router,
    AlertOutbox outbox,
    IUndeliverableAlertSink sink,
    IOptions<AlertingOptions> options,
    AlertingStats stats,
    ILogger<AlertNotifier> logger) : IAlertNotifier
{
    private readonly AlertingOptions _options = options.Value;

    public async ValueTask NotifyAsync(AnomalyDetected anomaly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        cancellationToken.ThrowIfCancellationRequested();
        var receivers = router.Match(anomaly);
        if (receivers.Count == 0)
        {
            stats.OnUnrouted();
            return;
        }

        var content = AlertContent.From(anomaly);
        var result = outbox.Accept(content, receivers);
        foreach (var _ in result.Suppressed)
        {
            stats.OnSuppressed();
        }

        logger.AlertAccepted(anomaly.AnomalyId, result.Accepted.Count, result.Suppressed.Count);
        foreach (var receiver in result.Rejected)
        {
            stats.OnOutboxFull();
            logger.OutboxFull(anomaly.AnomalyId, receiver, _options.OutboxCapacity);
            await sink.PublishAsync(
                new UndeliverableAlert(
                    receiver,
                    _options.Receivers[receiver].Type!.Value.ToWireName(),
                    anomaly.AnomalyId,
                    anomaly.DedupKey,
                    UndeliverableAlert.ReasonOutboxFull,
                    $"The alert outbox holds its capacity of {_options.OutboxCapacity} deliveries.",
                    0,
                    content.Json),
                cancellationToken);
            stats.OnDeadLettered();
        }
    }
}

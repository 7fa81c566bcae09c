using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Ports;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>
/// Delivers the outbox: opens it (recovering what a previous process left pending), dead-letters deliveries of
/// receivers no longer configured, and runs one <see cref="ReceiverLane"/> per receiver until the host stops.
/// </summary>
internal sealed class AlertDispatcherService(
    IOptions<AlertingOptions> options,
    AlertOutbox outbox,
    IHttpClientFactory clients,
    IUndeliverableAlertSink sink,
    TimeProvider timeProvider,
    AlertingStats stats,
    ILogger<AlertDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var receivers = options.Value.Receivers;
        if (receivers.Count == 0)
        {
            logger.AlertingDisabled();
            return;
        }

        try
        {
            await DeadLetterRemovedReceiversAsync(receivers, stoppingToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The outbox cannot be opened (in use, no permission, disk): a broken environment stops the host.
            logger.OutboxUnavailable(ex.GetType().Name, ex.Message);
            Environment.ExitCode = 1;
            throw;
        }

        var mask = new SecretMask(receivers.Values);
        var lanes = receivers
            .Select(pair => new ReceiverLane(new Receiver(pair.Key, pair.Value, mask), outbox, clients, sink, timeProvider, stats, logger, Random.Shared))
            .ToList();
        try
        {
            logger.DispatcherStarted(lanes.Count, outbox.PendingCount);
            await Task.WhenAll(lanes.Select(lane => lane.RunAsync(stoppingToken)));
        }
        finally
        {
            foreach (var lane in lanes)
            {
                lane.Dispose();
            }
        }
    }

    private async Task DeadLetterRemovedReceiversAsync(Dictionary<string, ReceiverOptions> receivers, CancellationToken cancellationToken)
    {
        var configured = receivers.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in outbox.PendingOfOtherReceivers(configured))
        {
            var content = entry.Content;
            await sink.PublishAsync(
                new UndeliverableAlert(
                    entry.Receiver,
                    "unknown",
                    content.AnomalyId,
                    content.DedupKey,
                    UndeliverableAlert.ReasonReceiverRemoved,
                    $"The receiver '{entry.Receiver}' is no longer configured.",
                    0,
                    content.Json),
                cancellationToken);
            outbox.Complete(entry, DeliveryOutcome.DeadLettered);
            stats.OnDeadLettered();
            logger.AlertDeadLettered(content.AnomalyId, entry.Receiver, UndeliverableAlert.ReasonReceiverRemoved, "receiver removed");
        }
    }
}

using Microsoft.Extensions.Logging;
using UsageSentinel.Core.Ports;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>The default <see cref="IUndeliverableAlertSink"/>: logs an error per alert. The worker replaces it with the dead-letter topic.</summary>
internal sealed class LoggingUndeliverableAlertSink(ILogger<LoggingUndeliverableAlertSink> logger) : IUndeliverableAlertSink
{
    public ValueTask PublishAsync(UndeliverableAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        logger.AlertUndeliverable(alert.AnomalyId, alert.ReceiverName, alert.ReceiverType, alert.ReasonCode, alert.Reason, alert.Attempts);
        return ValueTask.CompletedTask;
    }
}

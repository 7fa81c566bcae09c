using Microsoft.Extensions.Logging;

namespace UsageSentinel.Webhooks;

/// <summary>Log messages of the webhooks adapter (event ids 40xx). None carries a URL or key.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Alert outbox opened at {Directory}: {Pending} deliveries pending, {Incidents} incidents remembered")]
    public static partial void OutboxOpened(this ILogger logger, string directory, int pending, int incidents);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Alert outbox journal ends in a torn write of {Bytes} bytes; ignored")]
    public static partial void OutboxTornWrite(this ILogger logger, int bytes);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Alert outbox journal record at offset {Offset} is unreadable; skipped")]
    public static partial void OutboxRecordSkipped(this ILogger logger, int offset);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Alert outbox compacted: {Pending} deliveries pending, journal {Bytes} bytes")]
    public static partial void OutboxCompacted(this ILogger logger, int pending, long bytes);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Alert outbox is full ({Capacity} deliveries): anomaly {AnomalyId} for receiver {Receiver} goes to the undeliverable-alert sink")]
    public static partial void OutboxFull(this ILogger logger, string anomalyId, string receiver, int capacity);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Critical, Message = "Alert outbox cannot be opened ({ExceptionType}: {Message}); stopping")]
    public static partial void OutboxUnavailable(this ILogger logger, string exceptionType, string message);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Alerting has no receivers configured; anomalies are not alerted")]
    public static partial void AlertingDisabled(this ILogger logger);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Alert dispatcher started with {Receivers} receivers, {Pending} deliveries pending")]
    public static partial void DispatcherStarted(this ILogger logger, int receivers, int pending);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Debug, Message = "Receiver {Receiver} ({ReceiverType}) started, rate limit {Permits} requests per period (0: none)")]
    public static partial void LaneStarted(this ILogger logger, string receiver, string receiverType, int permits);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Debug, Message = "Anomaly {AnomalyId} accepted for {Accepted} receivers ({Suppressed} already had it)")]
    public static partial void AlertAccepted(this ILogger logger, string anomalyId, int accepted, int suppressed);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Anomaly {AnomalyId} ({Status}) delivered to {Receiver} after {Attempts} attempts")]
    public static partial void AlertDelivered(this ILogger logger, string anomalyId, string receiver, string status, int attempts);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Warning, Message = "Delivery to {Receiver} failed ({Reason}); {Pending} deliveries wait in the outbox, next attempt in {RetryInMs} ms")]
    public static partial void DeliveryFailed(this ILogger logger, string receiver, int pending, string reason, long retryInMs);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Warning, Message = "Anomaly {AnomalyId} for {Receiver} dead-lettered: {ReasonCode}, {Reason}")]
    public static partial void AlertDeadLettered(this ILogger logger, string anomalyId, string receiver, string reasonCode, string reason);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Debug, Message = "Anomaly {AnomalyId} for {Receiver} superseded by a later update of its incident")]
    public static partial void AlertSuperseded(this ILogger logger, string anomalyId, string receiver);

    [LoggerMessage(EventId = 4018, Level = LogLevel.Error, Message = "Receiver {Receiver} failed with {ExceptionType}: {Message}; retrying")]
    public static partial void LaneFailed(this ILogger logger, string receiver, string exceptionType, string message);

    [LoggerMessage(EventId = 4019, Level = LogLevel.Error, Message = "Undeliverable alert: anomaly {AnomalyId} for receiver {Receiver} ({ReceiverType}): {ReasonCode}, {Reason}, after {Attempts} attempts")]
    public static partial void AlertUndeliverable(this ILogger logger, string anomalyId, string receiver, string receiverType, string reasonCode, string reason, int attempts);
}

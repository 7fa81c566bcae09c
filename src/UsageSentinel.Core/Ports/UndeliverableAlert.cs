namespace UsageSentinel.Core.Ports;

/// <summary>An alert that could not be delivered to one receiver, and why. It carries no secret.</summary>
/// <param name="ReceiverName">The configured name of the receiver, e.g. <c>oncall</c>.</param>
/// <param name="ReceiverType">The receiver type: <c>pagerduty</c>, <c>slack</c>, <c>opsgenie</c>, <c>alertmanager</c> or <c>webhook</c>.</param>
/// <param name="AnomalyId">The anomaly's id.</param>
/// <param name="DedupKey">The anomaly's dedup key.</param>
/// <param name="ReasonCode">Why, as one of the <c>Reason…</c> constants, e.g. <see cref="ReasonRejected"/>.</param>
/// <param name="Reason">A human message, e.g. <c>HTTP 400 (BadRequest): invalid event</c>; secrets are masked.</param>
/// <param name="Attempts">The HTTP attempts made for this alert by this process.</param>
/// <param name="AnomalyJson">The anomaly as the JSON of the anomaly topic.</param>
public sealed record UndeliverableAlert(
    string ReceiverName,
    string ReceiverType,
    string AnomalyId,
    string DedupKey,
    string ReasonCode,
    string Reason,
    int Attempts,
    ReadOnlyMemory<byte> AnomalyJson)
{
    /// <summary>The receiver answered with a permanent error (a 4xx other than 408 and 429).</summary>
    public const string ReasonRejected = "rejected";

    /// <summary>The alert was still undelivered when it reached the receiver's maximum delivery age.</summary>
    public const string ReasonExpired = "expired";

    /// <summary>The outbox was full, so the alert could not be accepted for delivery.</summary>
    public const string ReasonOutboxFull = "outbox_full";

    /// <summary>The receiver was removed from the configuration while the alert waited for delivery.</summary>
    public const string ReasonReceiverRemoved = "receiver_removed";
}

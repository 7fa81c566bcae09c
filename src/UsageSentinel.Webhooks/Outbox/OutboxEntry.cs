using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Webhooks.Outbox;

/// <summary>One accepted delivery: an anomaly for one receiver, waiting in the outbox until it is acknowledged.</summary>
internal sealed class OutboxEntry(long sequence, string receiver, DateTimeOffset acceptedAt, AlertContent content, Severity? previousSeverity)
{
    /// <summary>Gets the journal sequence number; deliveries of one dedup key go out in this order.</summary>
    public long Sequence { get; } = sequence;

    public string Receiver { get; } = receiver;

    /// <summary>Gets the wall-clock time of acceptance; the maximum delivery age counts from here.</summary>
    public DateTimeOffset AcceptedAt { get; } = acceptedAt;

    public AlertContent Content { get; } = content;

    /// <summary>Gets the severity of the receiver's open incident when this was accepted (none for a new incident).</summary>
    public Severity? PreviousSeverity { get; } = previousSeverity;

    /// <summary>Gets or sets the HTTP attempts made by this process; owned by the receiver's lane.</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// Gets or sets the severity of the incident as last delivered to the receiver by this process, set by the lane
    /// before formatting (Alertmanager labels carry the severity, so a change must end the old alert).
    /// </summary>
    public Severity? SeverityAtReceiver { get; set; }

    /// <summary>Gets the severity the receiver knows the incident by: as delivered, else as accepted, else this one's.</summary>
    public Severity KnownSeverity => SeverityAtReceiver ?? PreviousSeverity ?? Content.Severity;
}

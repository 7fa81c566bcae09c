namespace UsageSentinel.Webhooks.Outbox;

/// <summary>What <see cref="AlertOutbox.Accept"/> did for each receiver.</summary>
internal sealed class AcceptResult
{
    /// <summary>Gets the deliveries stored durably.</summary>
    public List<OutboxEntry> Accepted { get; } = [];

    /// <summary>Gets the receivers that already have this (a duplicate, or an update that does not raise the severity).</summary>
    public List<string> Suppressed { get; } = [];

    /// <summary>Gets the receivers for which the outbox was full.</summary>
    public List<string> Rejected { get; } = [];
}

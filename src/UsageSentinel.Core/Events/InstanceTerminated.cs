namespace UsageSentinel.Core.Events;

/// <summary>A GPU instance was terminated (<c>instance.terminated</c>).</summary>
public sealed record InstanceTerminated(string EventId, string AccountId, DateTimeOffset OccurredAt)
    : AccountEvent(EventId, AccountId, OccurredAt)
{
    /// <inheritdoc />
    public override AccountEventKind Kind => AccountEventKind.InstanceTerminated;

    /// <summary>Gets the instance id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Gets the termination reason, when any.</summary>
    public string? Reason { get; init; }
}

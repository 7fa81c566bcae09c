namespace UsageSentinel.Core.Events;

/// <summary>A charge was billed (<c>billing.charge</c>).</summary>
/// <remarks>
/// The contract's optional <c>instance_id</c> of a charge is checked (a string when present) but not kept: no detector
/// reads it (an instance is known from its launch), and as the one id of a charge not shared with other events it cost a
/// string per charge, most of the input (5,000,000-event replay: 1.5–3.8 % faster without it).
/// </remarks>
public sealed record UsageBilled(string EventId, string AccountId, DateTimeOffset OccurredAt)
    : AccountEvent(EventId, AccountId, OccurredAt)
{
    /// <inheritdoc />
    public override AccountEventKind Kind => AccountEventKind.UsageBilled;

    /// <summary>Gets the amount, never negative.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the ISO 4217 currency code.</summary>
    public required string Currency { get; init; }

    /// <summary>Gets the usage type, e.g. <c>gpu_instance</c>, <c>storage</c>.</summary>
    public required string UsageType { get; init; }

    /// <summary>Gets the instance type, when any.</summary>
    public string? InstanceType { get; init; }

    /// <summary>Gets the usage quantity, e.g. instance-hours, when any.</summary>
    public double? UsageQuantity { get; init; }

    /// <summary>Gets the start of the billed period, when any.</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>Gets the end of the billed period, when any.</summary>
    public DateTimeOffset? PeriodEnd { get; init; }
}

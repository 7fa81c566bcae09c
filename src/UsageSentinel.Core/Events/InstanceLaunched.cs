namespace UsageSentinel.Core.Events;

/// <summary>A GPU instance was launched (<c>instance.launched</c>).</summary>
public sealed record InstanceLaunched(string EventId, string AccountId, DateTimeOffset OccurredAt)
    : AccountEvent(EventId, AccountId, OccurredAt)
{
    /// <inheritdoc />
    public override AccountEventKind Kind => AccountEventKind.InstanceLaunched;

    /// <summary>Gets the instance id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Gets the provider SKU, e.g. <c>p5.48xlarge</c>.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Gets the GPU model the event names, when any.</summary>
    public string? GpuModel { get; init; }

    /// <summary>Gets the GPU count the event names, when any.</summary>
    public int? GpuCount { get; init; }

    /// <summary>Gets the region.</summary>
    public required string Region { get; init; }

    /// <summary>Gets the zone, when any.</summary>
    public string? Zone { get; init; }

    /// <summary>Gets the placement group (co-located capacity), when any.</summary>
    public string? PlacementGroup { get; init; }

    /// <summary>Gets the scale-out fabric bandwidth in Gbit/s, when the event names it.</summary>
    public double? NetworkGbps { get; init; }

    /// <summary>Gets the pricing model: <c>on_demand</c>, <c>spot</c>, <c>reserved</c>, <c>capacity_block</c>.</summary>
    public string? PricingModel { get; init; }

    /// <summary>Gets the paying account, when not the account itself.</summary>
    public string? PayerAccountId { get; init; }

    /// <summary>Gets the reseller that brought the account, when any.</summary>
    public string? ResellerId { get; init; }

    /// <summary>Gets who made the launch call, when known.</summary>
    public CallerContext? Caller { get; init; }

    /// <summary>Gets the fingerprint of the SSH key installed on the instance.</summary>
    public string? SshKeyFingerprint { get; init; }
}

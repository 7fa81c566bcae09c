namespace UsageSentinel.Core.Events;

/// <summary>An interactive or API session against the account's instances (<c>instance.access</c>).</summary>
public sealed record InstanceAccessed(string EventId, string AccountId, DateTimeOffset OccurredAt)
    : AccountEvent(EventId, AccountId, OccurredAt)
{
    /// <inheritdoc />
    public override AccountEventKind Kind => AccountEventKind.InstanceAccessed;

    /// <summary>Gets the instance id, when any.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Gets the user, role or SSH key identity.</summary>
    public required string PrincipalId { get; init; }

    /// <summary>Gets the source IP, when known.</summary>
    public string? SourceIp { get; init; }

    /// <summary>Gets the ISO 3166-1 alpha-2 source country, when known.</summary>
    public string? SourceCountry { get; init; }

    /// <summary>Gets the source autonomous system number, when known.</summary>
    public long? SourceAsn { get; init; }

    /// <summary>Gets whether the source is a VPN, Tor or hosting exit, when known.</summary>
    public bool? Anonymizer { get; init; }

    /// <summary>Gets the protocol: <c>ssh</c>, <c>console</c>, <c>api</c>.</summary>
    public string? Protocol { get; init; }
}

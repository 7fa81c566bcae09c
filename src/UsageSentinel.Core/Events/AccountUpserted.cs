namespace UsageSentinel.Core.Events;

/// <summary>An account profile was created or changed (<c>account.upserted</c>).</summary>
public sealed record AccountUpserted(string EventId, string AccountId, DateTimeOffset OccurredAt)
    : AccountEvent(EventId, AccountId, OccurredAt)
{
    /// <inheritdoc />
    public override AccountEventKind Kind => AccountEventKind.AccountUpserted;

    /// <summary>Gets the account creation time, when known.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets the KYC country (ISO 3166-1 alpha-2).</summary>
    public string? DeclaredCountry { get; init; }

    /// <summary>Gets the KYC status: <c>verified</c>, <c>pending</c>, <c>unverified</c>.</summary>
    public string? KycStatus { get; init; }

    /// <summary>Gets the entity type: <c>individual</c>, <c>business</c>, <c>academic</c>, <c>government</c>, <c>reseller</c>.</summary>
    public string? EntityType { get; init; }

    /// <summary>Gets the organisation or reseller parent account.</summary>
    public string? ParentAccountId { get; init; }

    /// <summary>Gets the e-mail domain.</summary>
    public string? EmailDomain { get; init; }

    /// <summary>Gets the beneficial owner's country (ISO 3166-1 alpha-2).</summary>
    public string? BeneficialOwnerCountry { get; init; }

    /// <summary>Gets whether the account is a reviewed and approved large customer.</summary>
    public bool? Allowlisted { get; init; }
}

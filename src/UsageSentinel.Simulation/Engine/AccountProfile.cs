namespace UsageSentinel.Simulation.Engine;

/// <summary>What an account's <c>account.upserted</c> says.</summary>
internal sealed record AccountProfile(
    DateTimeOffset CreatedAt,
    string DeclaredCountry,
    string KycStatus,
    string EntityType,
    string EmailDomain)
{
    public string? ParentAccountId { get; init; }

    public string? BeneficialOwnerCountry { get; init; }

    public bool? Allowlisted { get; init; }
}

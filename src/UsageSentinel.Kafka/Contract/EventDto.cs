using System.Text.Json.Serialization;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// Every field of every event type of the wire contract (shared/EVENTS.md), all optional: the message
/// is deserialized once, then validated and mapped by <see cref="ContractParser"/> according to its
/// <c>event_type</c>. Names are snake_case through <see cref="ContractJsonContext"/>'s naming policy.
/// </summary>
internal sealed class EventDto
{
    // Common fields.
    public string? EventId { get; set; }

    public string? EventType { get; set; }

    public string? OccurredAt { get; set; }

    public string? AccountId { get; set; }

    public int? SchemaVersion { get; set; }

    // instance.launched, instance.terminated, instance.access, billing.charge.
    public string? InstanceId { get; set; }

    public string? InstanceType { get; set; }

    public string? GpuModel { get; set; }

    public int? GpuCount { get; set; }

    public string? Region { get; set; }

    public string? Zone { get; set; }

    public string? PlacementGroup { get; set; }

    public double? NetworkGbps { get; set; }

    public string? PricingModel { get; set; }

    public string? PayerAccountId { get; set; }

    public string? ResellerId { get; set; }

    public CallerDto? Caller { get; set; }

    public string? SshKeyFingerprint { get; set; }

    // instance.terminated.
    public string? Reason { get; set; }

    // instance.access.
    public string? PrincipalId { get; set; }

    public string? SourceIp { get; set; }

    public string? SourceCountry { get; set; }

    public long? SourceAsn { get; set; }

    public bool? Anonymizer { get; set; }

    public string? Protocol { get; set; }

    // billing.charge and billing.payment.
    [JsonConverter(typeof(AmountConverter))]
    public decimal? Amount { get; set; }

    public string? Currency { get; set; }

    public string? UsageType { get; set; }

    public double? UsageQuantity { get; set; }

    public string? PeriodStart { get; set; }

    public string? PeriodEnd { get; set; }

    public PaymentMethodDto? PaymentMethod { get; set; }

    public string? PayerCountry { get; set; }

    public bool? ThirdParty { get; set; }

    // account.upserted.
    public string? CreatedAt { get; set; }

    public string? DeclaredCountry { get; set; }

    public string? KycStatus { get; set; }

    public string? EntityType { get; set; }

    public string? ParentAccountId { get; set; }

    public string? EmailDomain { get; set; }

    public string? BeneficialOwnerCountry { get; set; }

    public bool? Allowlisted { get; set; }
}

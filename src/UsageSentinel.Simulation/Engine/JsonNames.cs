using System.Text.Json;

namespace UsageSentinel.Simulation.Engine;

/// <summary>The contract's field names, encoded once.</summary>
internal static class JsonNames
{
    public static readonly JsonEncodedText EventId = JsonEncodedText.Encode("event_id");
    public static readonly JsonEncodedText EventType = JsonEncodedText.Encode("event_type");
    public static readonly JsonEncodedText OccurredAt = JsonEncodedText.Encode("occurred_at");
    public static readonly JsonEncodedText AccountId = JsonEncodedText.Encode("account_id");
    public static readonly JsonEncodedText SchemaVersion = JsonEncodedText.Encode("schema_version");

    public static readonly JsonEncodedText InstanceId = JsonEncodedText.Encode("instance_id");
    public static readonly JsonEncodedText InstanceType = JsonEncodedText.Encode("instance_type");
    public static readonly JsonEncodedText GpuModel = JsonEncodedText.Encode("gpu_model");
    public static readonly JsonEncodedText GpuCount = JsonEncodedText.Encode("gpu_count");
    public static readonly JsonEncodedText Region = JsonEncodedText.Encode("region");
    public static readonly JsonEncodedText Zone = JsonEncodedText.Encode("zone");
    public static readonly JsonEncodedText PlacementGroup = JsonEncodedText.Encode("placement_group");
    public static readonly JsonEncodedText NetworkGbps = JsonEncodedText.Encode("network_gbps");
    public static readonly JsonEncodedText PricingModel = JsonEncodedText.Encode("pricing_model");
    public static readonly JsonEncodedText PayerAccountId = JsonEncodedText.Encode("payer_account_id");
    public static readonly JsonEncodedText ResellerId = JsonEncodedText.Encode("reseller_id");
    public static readonly JsonEncodedText Caller = JsonEncodedText.Encode("caller");
    public static readonly JsonEncodedText SshKeyFingerprint = JsonEncodedText.Encode("ssh_key_fingerprint");
    public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");

    public static readonly JsonEncodedText PrincipalId = JsonEncodedText.Encode("principal_id");
    public static readonly JsonEncodedText SourceIp = JsonEncodedText.Encode("source_ip");
    public static readonly JsonEncodedText SourceCountry = JsonEncodedText.Encode("source_country");
    public static readonly JsonEncodedText SourceAsn = JsonEncodedText.Encode("source_asn");
    public static readonly JsonEncodedText Anonymizer = JsonEncodedText.Encode("anonymizer");
    public static readonly JsonEncodedText Protocol = JsonEncodedText.Encode("protocol");

    public static readonly JsonEncodedText Amount = JsonEncodedText.Encode("amount");
    public static readonly JsonEncodedText Currency = JsonEncodedText.Encode("currency");
    public static readonly JsonEncodedText UsageType = JsonEncodedText.Encode("usage_type");
    public static readonly JsonEncodedText UsageQuantity = JsonEncodedText.Encode("usage_quantity");
    public static readonly JsonEncodedText PeriodStart = JsonEncodedText.Encode("period_start");
    public static readonly JsonEncodedText PeriodEnd = JsonEncodedText.Encode("period_end");
    public static readonly JsonEncodedText PaymentMethod = JsonEncodedText.Encode("payment_method");
    public static readonly JsonEncodedText Fingerprint = JsonEncodedText.Encode("fingerprint");
    public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    public static readonly JsonEncodedText IssuerCountry = JsonEncodedText.Encode("issuer_country");
    public static readonly JsonEncodedText PayerCountry = JsonEncodedText.Encode("payer_country");
    public static readonly JsonEncodedText ThirdParty = JsonEncodedText.Encode("third_party");

    public static readonly JsonEncodedText CreatedAt = JsonEncodedText.Encode("created_at");
    public static readonly JsonEncodedText DeclaredCountry = JsonEncodedText.Encode("declared_country");
    public static readonly JsonEncodedText KycStatus = JsonEncodedText.Encode("kyc_status");
    public static readonly JsonEncodedText EntityType = JsonEncodedText.Encode("entity_type");
    public static readonly JsonEncodedText ParentAccountId = JsonEncodedText.Encode("parent_account_id");
    public static readonly JsonEncodedText EmailDomain = JsonEncodedText.Encode("email_domain");
    public static readonly JsonEncodedText BeneficialOwnerCountry = JsonEncodedText.Encode("beneficial_owner_country");
    public static readonly JsonEncodedText Allowlisted = JsonEncodedText.Encode("allowlisted");
}

using System.Collections.Frozen;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// The field tables of the wire contract (shared/EVENTS.md, version 1): which top-level fields
/// belong to which event type, the allowed enum values, and what each field must be (used in messages).
/// </summary>
internal static class ContractFields
{
    public const int SupportedSchemaVersion = 1;
    public const int MaxIdLength = 128;

    public static readonly string[] PricingModels = ["on_demand", "spot", "reserved", "capacity_block"];
    public static readonly string[] PaymentMethodKinds = ["card", "wire", "prepaid", "crypto", "marketplace"];
    public static readonly string[] KycStatuses = ["verified", "pending", "unverified"];
    public static readonly string[] EntityTypes = ["individual", "business", "academic", "government", "reseller"];

    public static readonly string[] EventTypes =
    [
        EventTypeNames.InstanceLaunched, EventTypeNames.InstanceTerminated, EventTypeNames.InstanceAccess,
        EventTypeNames.BillingCharge, EventTypeNames.BillingPayment, EventTypeNames.AccountUpserted,
    ];

    /// <summary>The fields read before the event type is known.</summary>
    public static readonly string[] Header = ["schema_version", "event_type"];

    public static readonly string[] Common = ["event_id", "event_type", "occurred_at", "account_id", "schema_version"];

    private static readonly string[] InstanceLaunched =
    [
        .. Common, "instance_id", "instance_type", "gpu_model", "gpu_count", "region", "zone", "placement_group",
        "network_gbps", "pricing_model", "payer_account_id", "reseller_id", "caller", "ssh_key_fingerprint",
    ];

    private static readonly string[] InstanceTerminated = [.. Common, "instance_id", "reason"];

    private static readonly string[] InstanceAccess =
    [
        .. Common, "instance_id", "principal_id", "source_ip", "source_country", "source_asn", "anonymizer", "protocol",
    ];

    private static readonly string[] BillingCharge =
    [
        .. Common, "amount", "currency", "usage_type", "instance_type", "instance_id", "usage_quantity",
        "period_start", "period_end",
    ];

    private static readonly string[] BillingPayment =
    [
        .. Common, "amount", "currency", "payment_method", "payer_country", "third_party",
    ];

    private static readonly string[] AccountUpserted =
    [
        .. Common, "created_at", "declared_country", "kyc_status", "entity_type", "parent_account_id",
        "email_domain", "beneficial_owner_country", "allowlisted",
    ];

    private static readonly FrozenDictionary<string, string> Expectations = BuildExpectations();

    /// <summary>Returns every top-level field of <paramref name="kind"/>, common fields included.</summary>
    public static string[] TopLevel(AccountEventKind kind) => kind switch
    {
        AccountEventKind.InstanceLaunched => InstanceLaunched,
        AccountEventKind.InstanceTerminated => InstanceTerminated,
        AccountEventKind.InstanceAccessed => InstanceAccess,
        AccountEventKind.UsageBilled => BillingCharge,
        AccountEventKind.PaymentMade => BillingPayment,
        AccountEventKind.AccountUpserted => AccountUpserted,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown event kind."),
    };

    /// <summary>Returns what the field at <paramref name="path"/> must be, e.g. "must be a boolean".</summary>
    public static string Expectation(string path) =>
        Expectations.TryGetValue(path, out string? expectation) ? expectation : "has the wrong JSON type";

    private static FrozenDictionary<string, string> BuildExpectations()
    {
        const string String = "must be a string";
        const string Boolean = "must be a boolean";
        const string Id = "must be a string of 1 to 128 characters";
        const string Timestamp = "must be an RFC 3339 timestamp with an offset, e.g. 2026-03-01T12:00:00Z";
        const string Country = "must be an ISO 3166-1 alpha-2 code (2 uppercase ASCII letters)";
        const string Asn = "must be an integer between 0 and 4294967295";
        const string NonNegativeNumber = "must be a number >= 0";
        const string Object = "must be a JSON object";

        var expectations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["$.event_id"] = Id,
            ["$.account_id"] = Id,
            ["$.event_type"] = "must be a string, one of " + string.Join(", ", EventTypes),
            ["$.occurred_at"] = Timestamp,
            ["$.schema_version"] = "must be an integer",
            ["$.gpu_count"] = "must be an integer >= 0",
            ["$.network_gbps"] = NonNegativeNumber,
            ["$.usage_quantity"] = NonNegativeNumber,
            ["$.pricing_model"] = OneOf(PricingModels),
            ["$.caller"] = Object,
            ["$.caller.source_country"] = Country,
            ["$.caller.source_asn"] = Asn,
            ["$.caller.anonymizer"] = Boolean,
            ["$.source_country"] = Country,
            ["$.source_asn"] = Asn,
            ["$.anonymizer"] = Boolean,
            ["$.amount"] = "must be a decimal number >= 0",
            ["$.currency"] = "must be an ISO 4217 code (3 uppercase ASCII letters)",
            ["$.period_start"] = Timestamp,
            ["$.period_end"] = Timestamp,
            ["$.payment_method"] = Object,
            ["$.payment_method.kind"] = OneOf(PaymentMethodKinds),
            ["$.payment_method.issuer_country"] = Country,
            ["$.payer_country"] = Country,
            ["$.third_party"] = Boolean,
            ["$.created_at"] = Timestamp,
            ["$.declared_country"] = Country,
            ["$.kyc_status"] = OneOf(KycStatuses),
            ["$.entity_type"] = OneOf(EntityTypes),
            ["$.beneficial_owner_country"] = Country,
            ["$.allowlisted"] = Boolean,
        };

        string[] strings =
        [
            "$.instance_id", "$.instance_type", "$.gpu_model", "$.region", "$.zone", "$.placement_group",
            "$.payer_account_id", "$.reseller_id", "$.ssh_key_fingerprint", "$.reason", "$.principal_id",
            "$.source_ip", "$.protocol", "$.usage_type", "$.parent_account_id", "$.email_domain",
            "$.caller.principal_id", "$.caller.source_ip", "$.payment_method.fingerprint",
        ];
        foreach (string path in strings)
        {
            expectations.Add(path, String);
        }

        return expectations.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string OneOf(string[] values) => "must be one of " + string.Join(", ", values);
}

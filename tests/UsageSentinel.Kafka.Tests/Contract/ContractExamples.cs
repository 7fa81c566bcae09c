using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Kafka.Tests.Contract;

/// <summary>
/// Valid messages written exactly as shared/EVENTS.md shows them: per event type a minimal one
/// (required fields only) and a full one (every optional field), plus helpers to break them.
/// </summary>
internal static class ContractExamples
{
    public const string LaunchedMinimal = """
        {"event_id":"evt-launch-1","event_type":"instance.launched","occurred_at":"2026-03-01T12:00:00Z",
         "account_id":"acct-42","instance_id":"i-0abc","instance_type":"p5.48xlarge","region":"us-east-1"}
        """;

    public const string LaunchedFull = """
        {
          "event_id": "evt-launch-2",
          "event_type": "instance.launched",
          "occurred_at": "2026-03-01T12:00:00.123+02:00",
          "account_id": "acct-42",
          "schema_version": 1,
          "instance_id": "i-0abc",
          "instance_type": "Standard_ND96isr_H100_v5",
          "gpu_model": "H100-SXM",
          "gpu_count": 8,
          "region": "eastus",
          "zone": "eastus-2",
          "placement_group": "pg-7",
          "network_gbps": 3200,
          "pricing_model": "capacity_block",
          "payer_account_id": "acct-1",
          "reseller_id": "reseller-9",
          "caller": {
            "principal_id": "arn:aws:iam::42:user/alice",
            "source_ip": "203.0.113.7",
            "source_country": "NL",
            "source_asn": 4294967295,
            "anonymizer": true
          },
          "ssh_key_fingerprint": "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
        }
        """;

    public const string TerminatedMinimal = """
        {"event_id":"evt-term-1","event_type":"instance.terminated","occurred_at":"2026-03-01T14:00:00Z",
         "account_id":"acct-42","instance_id":"i-0abc"}
        """;

    public const string TerminatedFull = """
        {"event_id":"evt-term-2","event_type":"instance.terminated","occurred_at":"2026-03-01T14:00:00-05:00",
         "account_id":"acct-42","schema_version":1,"instance_id":"i-0abc","reason":"user_request"}
        """;

    public const string AccessMinimal = """
        {"event_id":"evt-access-1","event_type":"instance.access","occurred_at":"2026-03-01T13:00:00Z",
         "account_id":"acct-42","principal_id":"alice"}
        """;

    public const string AccessFull = """
        {"event_id":"evt-access-2","event_type":"instance.access","occurred_at":"2026-03-01T13:00:00Z",
         "account_id":"acct-42","schema_version":1,"instance_id":"i-0abc","principal_id":"SHA256:key",
         "source_ip":"198.51.100.4","source_country":"SG","source_asn":0,"anonymizer":false,"protocol":"ssh"}
        """;

    public const string ChargeMinimal = """
        {"event_id":"evt-charge-1","event_type":"billing.charge","occurred_at":"2026-03-02T00:00:00Z",
         "account_id":"acct-42","amount":98.32,"currency":"USD","usage_type":"gpu_instance"}
        """;

    public const string ChargeFull = """
        {"event_id":"evt-charge-2","event_type":"billing.charge","occurred_at":"2026-03-02T00:00:00Z",
         "account_id":"acct-42","schema_version":1,"amount":1234.5678,"currency":"EUR","usage_type":"gpu_instance",
         "instance_type":"p5.48xlarge","instance_id":"i-0abc","usage_quantity":24.5,
         "period_start":"2026-03-01T00:00:00Z","period_end":"2026-03-02T00:00:00Z"}
        """;

    public const string PaymentMinimal = """
        {"event_id":"evt-pay-1","event_type":"billing.payment","occurred_at":"2026-03-03T09:30:00Z",
         "account_id":"acct-42","amount":5000,"currency":"USD"}
        """;

    public const string PaymentFull = """
        {"event_id":"evt-pay-2","event_type":"billing.payment","occurred_at":"2026-03-03T09:30:00Z",
         "account_id":"acct-42","schema_version":1,"amount":0,"currency":"JPY",
         "payment_method":{"fingerprint":"card-fp-77","kind":"crypto","issuer_country":"SC"},
         "payer_country":"HK","third_party":true}
        """;

    public const string AccountMinimal = """
        {"event_id":"evt-acct-1","event_type":"account.upserted","occurred_at":"2026-02-01T08:00:00Z",
         "account_id":"acct-42"}
        """;

    public const string AccountFull = """
        {"event_id":"evt-acct-2","event_type":"account.upserted","occurred_at":"2026-02-01T08:00:00Z",
         "account_id":"acct-42","schema_version":1,"created_at":"2026-01-31T23:59:59.5Z","declared_country":"DE",
         "kyc_status":"pending","entity_type":"reseller","parent_account_id":"acct-7","email_domain":"example.com",
         "beneficial_owner_country":"CY","allowlisted":false}
        """;

    /// <summary>Every valid example by name, e.g. <c>instance.launched/full</c>.</summary>
    public static readonly IReadOnlyDictionary<string, (AccountEventKind Kind, string Json)> Valid =
        new Dictionary<string, (AccountEventKind, string)>(StringComparer.Ordinal)
        {
            ["instance.launched/minimal"] = (AccountEventKind.InstanceLaunched, LaunchedMinimal),
            ["instance.launched/full"] = (AccountEventKind.InstanceLaunched, LaunchedFull),
            ["instance.terminated/minimal"] = (AccountEventKind.InstanceTerminated, TerminatedMinimal),
            ["instance.terminated/full"] = (AccountEventKind.InstanceTerminated, TerminatedFull),
            ["instance.access/minimal"] = (AccountEventKind.InstanceAccessed, AccessMinimal),
            ["instance.access/full"] = (AccountEventKind.InstanceAccessed, AccessFull),
            ["billing.charge/minimal"] = (AccountEventKind.UsageBilled, ChargeMinimal),
            ["billing.charge/full"] = (AccountEventKind.UsageBilled, ChargeFull),
            ["billing.payment/minimal"] = (AccountEventKind.PaymentMade, PaymentMinimal),
            ["billing.payment/full"] = (AccountEventKind.PaymentMade, PaymentFull),
            ["account.upserted/minimal"] = (AccountEventKind.AccountUpserted, AccountMinimal),
            ["account.upserted/full"] = (AccountEventKind.AccountUpserted, AccountFull),
        };

    public static TheoryData<string> ValidNames => [.. Valid.Keys];

    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Returns the full example of <paramref name="eventType"/>.</summary>
    public static string Full(string eventType) => Valid[eventType + "/full"].Json;

    /// <summary>
    /// Sets <paramref name="field"/> (dotted for nested: <c>caller.source_asn</c>) of the full example of
    /// <paramref name="eventType"/> to the JSON text <paramref name="rawValue"/>, or removes it when that is null.
    /// </summary>
    public static string Mutate(string eventType, string field, string? rawValue) => MutateJson(Full(eventType), field, rawValue);

    /// <summary>Like <see cref="Mutate"/>, on any message.</summary>
    public static string MutateJson(string json, string field, string? rawValue)
    {
        JsonObject root = JsonNode.Parse(json)!.AsObject();
        string[] parts = field.Split('.');
        JsonObject parent = root;
        foreach (string part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }

        if (rawValue is null)
        {
            parent.Remove(parts[^1]).ShouldBeTrue($"{field} is not in the example");
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(rawValue);
        }

        return root.ToJsonString(WriteOptions);
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>Writes <paramref name="value"/> as a JSON string literal, escaping every non-ASCII or control character (lone surrogates too).</summary>
    public static string JsonString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\' || c < 0x20 || c > 0x7E)
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }
}

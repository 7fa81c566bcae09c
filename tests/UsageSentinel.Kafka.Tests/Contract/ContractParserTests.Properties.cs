using System.Text;
using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Events;
using UsageSentinel.Kafka.Contract;

namespace UsageSentinel.Kafka.Tests.Contract;

/// <summary>Fuzzing: no input bytes make the parser throw, and every outcome is consistent.</summary>
public sealed partial class ContractParserTests
{
    private static readonly string[] ValidJson = [.. ContractExamples.Valid.Values.Select(v => v.Json)];

    private static readonly string[] FieldNames =
    [
        "event_id", "event_type", "occurred_at", "account_id", "schema_version", "instance_id", "instance_type",
        "gpu_model", "gpu_count", "region", "zone", "placement_group", "network_gbps", "pricing_model",
        "payer_account_id", "reseller_id", "caller", "ssh_key_fingerprint", "reason", "principal_id", "source_ip",
        "source_country", "source_asn", "anonymizer", "protocol", "amount", "currency", "usage_type",
        "usage_quantity", "period_start", "period_end", "payment_method", "payer_country", "third_party",
        "created_at", "declared_country", "kyc_status", "entity_type", "parent_account_id", "email_domain",
        "beneficial_owner_country", "allowlisted", "unknown_field",
    ];

    private static readonly string[] Fragments =
    [
        "null", "true", "false", "0", "-1", "1", "8", "1.5", "-0.0", "1e400", "-1e400", "4294967295", "4294967296",
        "9223372036854775808", "79228162514264337593543950336", "0.0000000000000000000000000000001", "\"\"",
        "\"x\"", "\"US\"", "\"usd\"", "\"USD\"", "\"12.50\"", "\"-1\"", "\"2026-03-01T12:00:00Z\"",
        "\"2026-03-01T12:00:00\"", "\"9999-12-31T23:59:60-14:00\"", "\"0001-01-01T00:00:00+14:00\"",
        "\"instance.launched\"", "\"billing.charge\"", "\"account.upserted\"", "\"spot\"", "\"card\"", "\"\\uD800\"",
        "\"\\u0000\"", "[]", "{}", "[1,[2,{\"a\":[]}]]", "{\"source_asn\":-1,\"kind\":\"wire\",\"source_country\":\"nl\"}",
        "{\"principal_id\":7}",
    ];

    private static void AssertConsistent(byte[] message)
    {
        bool accepted = ContractParser.TryParse(message, out AccountEvent? @event, out ContractError error);

        if (accepted)
        {
            @event.ShouldNotBeNull();
            error.ShouldBe(ContractError.None);
        }
        else
        {
            @event.ShouldBeNull();
            error.Reason.ShouldNotBe(DeadLetterReason.None);
            error.Message.ShouldNotBeNullOrEmpty();
            error.Message.Length.ShouldBeLessThan(400);
            _ = error.Reason.ToCode();
        }
    }

    [Property(MaxTest = 2000)]
    public void TryParse_RandomBytes_NeverThrows(byte[] message) => AssertConsistent(message);

    [Property(MaxTest = 2000)]
    public void TryParse_RandomText_NeverThrows(string message) =>
        AssertConsistent(Encoding.UTF8.GetBytes(message ?? string.Empty));

    [Property(MaxTest = 3000)]
    public void TryParse_MutatedValidEvent_NeverThrows(PositiveInt example, int[] positions, byte[] values, int operation)
    {
        AssertConsistent(Mutate(ContractExamples.Utf8(ValidJson[example.Get % ValidJson.Length]), positions, values, operation));
    }

    /// <summary>Replaces, inserts or removes bytes, or truncates, at positions chosen by the property's inputs.</summary>
    private static byte[] Mutate(IEnumerable<byte> source, int[] positions, byte[] values, int operation)
    {
        var message = new List<byte>(source);
        for (int i = 0; i < positions.Length && message.Count > 0; i++)
        {
            int at = (int)((uint)positions[i] % (uint)message.Count);
            byte value = values.Length == 0 ? (byte)'"' : values[i % values.Length];
            switch ((uint)(operation + i) % 4)
            {
                case 0: message[at] = value; break;
                case 1: message.Insert(at, value); break;
                case 2: message.RemoveAt(at); break;
                default: message.RemoveRange(at, message.Count - at); break;
            }
        }

        return [.. message];
    }

    [Property(MaxTest = 3000)]
    public void TryParse_KnownFieldsWithArbitraryValues_NeverThrows(PositiveInt eventType, int[] choices, string noise)
    {
        var json = new StringBuilder("{\"event_type\":")
            .Append(ContractExamples.JsonString(ContractFields.EventTypes[eventType.Get % ContractFields.EventTypes.Length]));
        for (int i = 0; i < choices.Length; i++)
        {
            uint choice = (uint)choices[i];
            string value = choice % 7 == 0
                ? ContractExamples.JsonString(noise ?? string.Empty)
                : Fragments[choice % Fragments.Length];
            json.Append(",\"").Append(FieldNames[(choice / 7) % FieldNames.Length]).Append("\":").Append(value);
        }

        AssertConsistent(ContractExamples.Utf8(json.Append('}').ToString()));
    }

    [Property(MaxTest = 2000)]
    public void TryParse_ValidEventWithOneFieldReplaced_NeverThrows(PositiveInt example, PositiveInt field, string noise)
    {
        string json = ValidJson[example.Get % ValidJson.Length];
        string name = FieldNames[field.Get % FieldNames.Length];

        AssertConsistent(ContractExamples.Utf8(ContractExamples.MutateJson(json, name, ContractExamples.JsonString(noise ?? string.Empty))));
    }

    [Property(MaxTest = 1000)]
    public void TryParse_AnyBadValue_EchoesAtMost64CharactersOfIt(NonEmptyString value)
    {
        string text = "\u00A7" + value.Get + new string('\u00A7', 70);
        string message = ContractExamples.MutateJson(ContractExamples.ChargeFull, "currency", ContractExamples.JsonString(text));

        ContractParser.TryParse(ContractExamples.Utf8(message), out _, out ContractError error).ShouldBeFalse();
        error.Message.ShouldNotContain(new string('\u00A7', 65));
        error.Message.Length.ShouldBeLessThan(200);
    }
}

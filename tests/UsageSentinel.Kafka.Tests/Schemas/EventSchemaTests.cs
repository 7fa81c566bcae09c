using System.Text.Json;
using UsageSentinel.Core.Events;
using UsageSentinel.Kafka.Contract;
using UsageSentinel.Kafka.Tests.Contract;

namespace UsageSentinel.Kafka.Tests.Schemas;

/// <summary>
/// The JSON Schemas in src/UsageSentinel.Kafka/Schemas describe the same contract the parser enforces:
/// same fields, same required fields, and the same verdict on the examples.
/// </summary>
public sealed class EventSchemaTests
{
    private static readonly string[] CommonRequired = ["event_id", "event_type", "occurred_at", "account_id"];

    /// <summary>The required fields per event type, from shared/EVENTS.md.</summary>
    private static readonly Dictionary<string, string[]> RequiredByType = new(StringComparer.Ordinal)
    {
        [EventTypeNames.InstanceLaunched] = [.. CommonRequired, "instance_id", "instance_type", "region"],
        [EventTypeNames.InstanceTerminated] = [.. CommonRequired, "instance_id"],
        [EventTypeNames.InstanceAccess] = [.. CommonRequired, "principal_id"],
        [EventTypeNames.BillingCharge] = [.. CommonRequired, "amount", "currency", "usage_type"],
        [EventTypeNames.BillingPayment] = [.. CommonRequired, "amount", "currency"],
        [EventTypeNames.AccountUpserted] = [.. CommonRequired],
    };

    public static TheoryData<string> EventTypes => [.. ContractFields.EventTypes];

    /// <summary>
    /// The schemas as the build copies them next to the assemblies. The Kafka csproj asks for
    /// <c>LinkBase="schemas"</c>, which MSBuild applies only to files outside the project folder, so
    /// today they land in <c>Schemas/</c>; accept either spelling.
    /// </summary>
    internal static string SchemaDirectory()
    {
        foreach (string folder in (string[])["schemas", "Schemas"])
        {
            string copied = Path.Combine(AppContext.BaseDirectory, folder);
            if (Directory.Exists(copied))
            {
                return copied;
            }
        }

        throw new DirectoryNotFoundException("No schemas folder in " + AppContext.BaseDirectory);
    }

    private static JsonDocument LoadSchema(string eventType) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SchemaDirectory(), eventType + ".schema.json")));

    [Fact]
    public void SchemaDirectory_HoldsOneSchemaPerEventTypeAndTheAnomalySchema()
    {
        string[] files = [.. Directory.GetFiles(SchemaDirectory(), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

        files.ShouldBe([.. ContractFields.EventTypes.Append("anomaly").Select(t => t + ".schema.json").Order(StringComparer.Ordinal)]);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Schema_Header_IsDraft202012WithItsIdAndOpenObject(string eventType)
    {
        using JsonDocument schema = LoadSchema(eventType);
        JsonElement root = schema.RootElement;

        root.GetProperty("$schema").GetString().ShouldBe("https://json-schema.org/draft/2020-12/schema");
        root.GetProperty("$id").GetString().ShouldBe($"https://usage-sentinel.dev/schemas/v1/{eventType}.schema.json");
        root.GetProperty("title").GetString().ShouldBe(eventType);
        root.GetProperty("type").GetString().ShouldBe("object");
        root.GetProperty("additionalProperties").ValueKind.ShouldBe(JsonValueKind.True);
        root.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace();
        root.GetProperty("properties").GetProperty("event_type").GetProperty("const").GetString().ShouldBe(eventType);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Schema_Required_IsExactlyTheContractsRequiredFields(string eventType)
    {
        using JsonDocument schema = LoadSchema(eventType);

        string[] required = [.. schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()!)];

        required.Order(StringComparer.Ordinal).ShouldBe(RequiredByType[eventType].Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Schema_Properties_AreExactlyTheFieldsTheParserReads(string eventType)
    {
        EventTypeNames.TryParse(eventType, out AccountEventKind kind).ShouldBeTrue();
        using JsonDocument schema = LoadSchema(eventType);

        string[] properties = [.. schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name)];

        properties.Order(StringComparer.Ordinal).ShouldBe(ContractFields.TopLevel(kind).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Schema_EveryKeyword_IsOneTheTestValidatorChecks(string eventType)
    {
        using JsonDocument schema = LoadSchema(eventType);

        JsonSchemaSubset.UnsupportedKeywords(schema.RootElement).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Schema_EveryProperty_HasATypeAndADescription(string eventType)
    {
        using JsonDocument schema = LoadSchema(eventType);

        foreach ((string path, JsonElement property) in Properties(schema.RootElement, "#"))
        {
            property.TryGetProperty("type", out _).ShouldBeTrue(path);
            property.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace(path);
        }
    }

    [Theory]
    [MemberData(nameof(ContractExamples.ValidNames), MemberType = typeof(ContractExamples))]
    public void Schema_ValidExample_IsValidAndAcceptedByTheParser(string name)
    {
        (AccountEventKind kind, string json) = ContractExamples.Valid[name];
        using JsonDocument schema = LoadSchema(kind.ToWireName());
        using JsonDocument instance = JsonDocument.Parse(json);

        JsonSchemaSubset.Validate(schema.RootElement, instance.RootElement).ShouldBeEmpty();
        ContractParser.TryParse(ContractExamples.Utf8(json), out _, out ContractError error).ShouldBeTrue(error.Message);
    }

    [Theory]
    [InlineData("instance.launched", "event_id", null)]
    [InlineData("instance.launched", "event_id", "\"\"")]
    [InlineData("instance.launched", "event_type", "\"instance.exploded\"")]
    [InlineData("instance.launched", "schema_version", "2")]
    [InlineData("instance.launched", "region", null)]
    [InlineData("instance.launched", "gpu_count", "\"8\"")]
    [InlineData("instance.launched", "gpu_count", "-1")]
    [InlineData("instance.launched", "network_gbps", "-1")]
    [InlineData("instance.launched", "pricing_model", "\"free\"")]
    [InlineData("instance.launched", "caller.source_asn", "4294967296")]
    [InlineData("instance.launched", "caller.source_country", "\"nl\"")]
    [InlineData("instance.launched", "caller.anonymizer", "\"yes\"")]
    [InlineData("instance.terminated", "instance_id", null)]
    [InlineData("instance.terminated", "occurred_at", "\"2026-03-01T12:00:00\"")]
    [InlineData("instance.terminated", "occurred_at", "\"2026-03-01 12:00:00Z\"")]
    [InlineData("instance.terminated", "occurred_at", "\"yesterday\"")]
    [InlineData("instance.access", "principal_id", "\"\"")]
    [InlineData("instance.access", "source_asn", "-1")]
    [InlineData("billing.charge", "amount", "-0.01")]
    [InlineData("billing.charge", "amount", "\"abc\"")]
    [InlineData("billing.charge", "currency", "\"usd\"")]
    [InlineData("billing.charge", "usage_quantity", "-1")]
    [InlineData("billing.charge", "period_start", "\"2026-03-01\"")]
    [InlineData("billing.payment", "payment_method.kind", "\"cash\"")]
    [InlineData("billing.payment", "payer_country", "\"USA\"")]
    [InlineData("billing.payment", "third_party", "\"no\"")]
    [InlineData("account.upserted", "kyc_status", "\"approved\"")]
    [InlineData("account.upserted", "entity_type", "\"company\"")]
    [InlineData("account.upserted", "created_at", "\"yesterday\"")]
    [InlineData("account.upserted", "allowlisted", "1")]
    public void Schema_InvalidExample_IsRejectedByBothSchemaAndParser(string eventType, string field, string? rawValue)
    {
        string json = ContractExamples.Mutate(eventType, field, rawValue);
        using JsonDocument schema = LoadSchema(eventType);
        using JsonDocument instance = JsonDocument.Parse(json);

        JsonSchemaSubset.Validate(schema.RootElement, instance.RootElement).ShouldNotBeEmpty();
        ContractParser.TryParse(ContractExamples.Utf8(json), out _, out _).ShouldBeFalse();
    }

    private static IEnumerable<(string Path, JsonElement Property)> Properties(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("properties", out JsonElement properties))
        {
            yield break;
        }

        foreach (JsonProperty property in properties.EnumerateObject())
        {
            string propertyPath = path + "/properties/" + property.Name;
            yield return (propertyPath, property.Value);
            foreach ((string Path, JsonElement Property) nested in Properties(property.Value, propertyPath))
            {
                yield return nested;
            }
        }
    }
}

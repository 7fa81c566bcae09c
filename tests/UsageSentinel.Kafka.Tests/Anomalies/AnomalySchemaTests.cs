using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Kafka.Tests.Schemas;

namespace UsageSentinel.Kafka.Tests.Anomalies;

/// <summary>
/// <c>Schemas/anomaly.schema.json</c> describes exactly what <see cref="AnomalyJson"/> writes: the golden files are valid,
/// broken variants are not, and the schema's fields, required fields and enums are derived from the writer, so neither
/// can drift from the other silently.
/// </summary>
public sealed class AnomalySchemaTests
{
    private const string Full = "training_scale-projected-open";
    private const string Linked = "linked_accounts-open";

    public static TheoryData<string> Names => GoldenAnomalies.Names;

    [Fact]
    public void Schema_Header_IsDraft202012WithItsIdAndClosedObject()
    {
        using JsonDocument schema = LoadSchema();
        JsonElement root = schema.RootElement;

        root.GetProperty("$schema").GetString().ShouldBe("https://json-schema.org/draft/2020-12/schema");
        root.GetProperty("$id").GetString().ShouldBe("https://usage-sentinel.dev/schemas/v1/anomaly.schema.json");
        root.GetProperty("title").GetString().ShouldBe("anomaly");
        root.GetProperty("type").GetString().ShouldBe("object");
        root.GetProperty("additionalProperties").ValueKind.ShouldBe(JsonValueKind.False);
        root.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Schema_EveryKeyword_IsOneTheTestValidatorChecks()
    {
        using JsonDocument schema = LoadSchema();

        JsonSchemaSubset.UnsupportedKeywords(schema.RootElement).ShouldBeEmpty();
    }

    [Fact]
    public void Schema_EverySubschema_HasATypeAndADescription()
    {
        using JsonDocument schema = LoadSchema();

        string[] paths = [.. Subschemas(schema.RootElement, "#").Select(s => s.Path)];
        paths.ShouldContain("#/properties/root_causes/items/properties/contribution");
        paths.ShouldContain("#/properties/training_scale/properties/gpu_hours_by_model/additionalProperties");
        foreach ((string path, JsonElement subschema) in Subschemas(schema.RootElement, "#"))
        {
            subschema.TryGetProperty("type", out _).ShouldBeTrue(path);
            subschema.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace(path);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Schema_GoldenFile_IsValid(string name)
    {
        using JsonDocument schema = LoadSchema();
        using JsonDocument instance = JsonDocument.Parse(File.ReadAllBytes(GoldenPath(name)));

        JsonSchemaSubset.Validate(schema.RootElement, instance.RootElement).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(Linked, "dedup_key", null)]
    [InlineData(Linked, "score", "120")]
    [InlineData(Linked, "score", "-0.5")]
    [InlineData(Linked, "score", "\"75\"")]
    [InlineData(Linked, "severity", "\"severe\"")]
    [InlineData(Linked, "detector", "\"gpu_miner\"")]
    [InlineData(Linked, "status", "\"closed\"")]
    [InlineData(Linked, "confidence", "1.5")]
    [InlineData(Linked, "schema_version", "2")]
    [InlineData(Linked, "anomaly_id", "\"5F0C2A\"")]
    [InlineData(Linked, "account_id", "\"\"")]
    [InlineData(Linked, "summary", "\"\"")]
    [InlineData(Linked, "event_time", "\"2026-03-03T13:00:00+01:00\"")]
    [InlineData(Linked, "event_time", "\"2026-03-03T12:00:00.500Z\"")]
    [InlineData(Linked, "event_time", "\"2026-03-03 12:00:00Z\"")]
    [InlineData(Linked, "linked_account_ids", "\"acct-1002\"")]
    [InlineData(Linked, "linked_account_ids.0", "42")]
    [InlineData(Linked, "root_causes.0.contribution", null)]
    [InlineData(Linked, "root_causes.0.contribution", "1.01")]
    [InlineData(Linked, "root_causes.0.actual", "null")]
    [InlineData(Linked, "root_causes.0.feature", "\"Group FLOP\"")]
    [InlineData(Linked, "root_causes.0.weight", "0.5")]
    [InlineData(Linked, "unexpected", "true")]
    [InlineData(Full, "training_scale.window_end", null)]
    [InlineData(Full, "training_scale.scope", "\"region\"")]
    [InlineData(Full, "training_scale.kind", "\"guessed\"")]
    [InlineData(Full, "training_scale.utilization", "1.2")]
    [InlineData(Full, "training_scale.estimated_flop", "-1")]
    [InlineData(Full, "training_scale.concurrent_gpus", "1.5")]
    [InlineData(Full, "training_scale.gpu_hours_by_model.H200", "-1")]
    [InlineData(Full, "training_scale.projected_crossing_at", "\"soon\"")]
    [InlineData(Full, "training_scale.allowlisted", "\"no\"")]
    [InlineData(Full, "training_scale.evidence_event_ids", "[\"e1\",\"e2\",\"e3\",\"e4\",\"e5\",\"e6\",\"e7\",\"e8\",\"e9\"]")]
    [InlineData(Full, "training_scale.evidence_event_ids.0", "\"\"")]
    [InlineData(Full, "training_scale.unexpected", "1")]
    public void Schema_BrokenGoldenFile_IsRejected(string name, string path, string? rawValue)
    {
        using JsonDocument schema = LoadSchema();
        using JsonDocument instance = JsonDocument.Parse(Mutate(name, path, rawValue));

        JsonSchemaSubset.Validate(schema.RootElement, instance.RootElement).ShouldNotBeEmpty();
    }

    [Fact]
    public void Schema_Required_IsExactlyTheKeysWrittenForAMinimalAnomaly()
    {
        using JsonDocument schema = LoadSchema();

        NamesIn(schema.RootElement, "required").ShouldBe(WrittenKeys(GoldenAnomalies.Minimal()));
    }

    [Fact]
    public void Schema_Properties_AreExactlyTheKeysWrittenForAFullAnomaly()
    {
        using JsonDocument schema = LoadSchema();

        NamesIn(schema.RootElement, "properties").ShouldBe(WrittenKeys(GoldenAnomalies.ByName[Full]));
    }

    [Fact]
    public void Schema_TrainingScaleRequired_IsExactlyTheKeysWrittenForMinimalDetails()
    {
        using JsonDocument schema = LoadSchema();
        AnomalyDetected anomaly = GoldenAnomalies.Minimal() with { TrainingScale = GoldenAnomalies.MinimalTrainingScale() };

        NamesIn(TrainingScaleSchema(schema), "required").ShouldBe(WrittenKeys(anomaly, "training_scale"));
    }

    [Fact]
    public void Schema_TrainingScaleProperties_AreExactlyTheKeysWrittenForFullDetails()
    {
        using JsonDocument schema = LoadSchema();

        NamesIn(TrainingScaleSchema(schema), "properties").ShouldBe(WrittenKeys(GoldenAnomalies.ByName[Full], "training_scale"));
    }

    [Fact]
    public void Schema_RootCauseRequiredAndProperties_AreExactlyTheKeysWrittenForARootCause()
    {
        using JsonDocument schema = LoadSchema();
        JsonElement item = schema.RootElement.GetProperty("properties").GetProperty("root_causes").GetProperty("items");
        AnomalyDetected anomaly = GoldenAnomalies.Minimal() with { RootCauses = [new RootCause("f", 1, 2, 0.5)] };
        using JsonDocument written = JsonDocument.Parse(AnomalyJson.ToUtf8(anomaly));
        string[] keys = [.. written.RootElement.GetProperty("root_causes")[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

        NamesIn(item, "required").ShouldBe(keys);
        NamesIn(item, "properties").ShouldBe(keys);
    }

    [Fact]
    public void Schema_DetectorEnum_IsExactlyTheDetectorNames()
    {
        using JsonDocument schema = LoadSchema();
        string[] detectors = [.. typeof(DetectorNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];

        EnumIn(schema.RootElement, "detector").ShouldBe(detectors);
    }

    [Fact]
    public void Schema_SeverityEnum_IsExactlyTheWireNamesOfSeverity()
    {
        using JsonDocument schema = LoadSchema();

        EnumIn(schema.RootElement, "severity").ShouldBe([.. Enum.GetValues<Severity>().Select(s => s.ToWireName()).Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public void Schema_StatusEnum_IsExactlyTheWireNamesOfAnomalyStatus()
    {
        using JsonDocument schema = LoadSchema();

        EnumIn(schema.RootElement, "status").ShouldBe([.. Enum.GetValues<AnomalyStatus>().Select(AnomalyJson.StatusName).Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public void Schema_SchemaVersion_IsTheWritersVersion()
    {
        using JsonDocument schema = LoadSchema();

        schema.RootElement.GetProperty("properties").GetProperty("schema_version").GetProperty("const").GetInt32().ShouldBe(AnomalyJson.SchemaVersion);
    }

    [Fact]
    public void Schema_EvidenceEventIdsMaxItems_IsTheBoundTheDetectorKeeps()
    {
        using JsonDocument schema = LoadSchema();

        // ComputeRun is internal to Core and Core does not open its internals to this project: read the constant by name.
        Type computeRun = typeof(AnomalyJson).Assembly.GetType("UsageSentinel.Core.Accounting.ComputeRun", throwOnError: true)!;
        int maxEvidence = (int)computeRun.GetField("MaxEvidence")!.GetRawConstantValue()!;

        TrainingScaleSchema(schema).GetProperty("properties").GetProperty("evidence_event_ids").GetProperty("maxItems").GetInt32().ShouldBe(maxEvidence);
    }

    [Fact]
    public void Schema_TimePatterns_AcceptWhatFormatTimeWrites()
    {
        using JsonDocument schema = LoadSchema();
        JsonElement eventTime = schema.RootElement.GetProperty("properties").GetProperty("event_time");
        DateTimeOffset[] times =
        [
            DateTimeOffset.UnixEpoch,
            new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(14)),
            new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1),
            new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_000_000),
            new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(9_999_999),
            DateTimeOffset.MaxValue,
        ];

        foreach (DateTimeOffset time in times)
        {
            string written = AnomalyJson.FormatTime(time);
            using JsonDocument instance = JsonDocument.Parse("\"" + written + "\"");
            JsonSchemaSubset.Validate(eventTime, instance.RootElement).ShouldBeEmpty(written);
        }
    }

    private static JsonDocument LoadSchema() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(EventSchemaTests.SchemaDirectory(), "anomaly.schema.json")));

    private static string GoldenPath(string name) => Path.Combine(GoldenAnomalies.OutputFolder, name + ".json");

    private static JsonElement TrainingScaleSchema(JsonDocument schema) =>
        schema.RootElement.GetProperty("properties").GetProperty("training_scale");

    /// <summary>The names in a schema's <c>required</c> array or <c>properties</c> object, sorted.</summary>
    private static string[] NamesIn(JsonElement schema, string keyword)
    {
        JsonElement value = schema.GetProperty(keyword);
        IEnumerable<string> names = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(e => e.GetString()!)
            : value.EnumerateObject().Select(p => p.Name);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    private static string[] EnumIn(JsonElement schema, string property) =>
        [.. schema.GetProperty("properties").GetProperty(property).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>The keys <see cref="AnomalyJson"/> writes at the top level, or inside <paramref name="member"/>, sorted.</summary>
    private static string[] WrittenKeys(AnomalyDetected anomaly, string? member = null)
    {
        using JsonDocument written = JsonDocument.Parse(AnomalyJson.ToUtf8(anomaly));
        JsonElement root = member is null ? written.RootElement : written.RootElement.GetProperty(member);
        return [.. root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A golden file with the value at <paramref name="path"/> (dot-separated names and array indexes) replaced by
    /// <paramref name="rawValue"/>, or removed when that is null.
    /// </summary>
    private static string Mutate(string name, string path, string? rawValue)
    {
        JsonNode root = JsonNode.Parse(File.ReadAllBytes(GoldenPath(name)))!;
        string[] segments = path.Split('.');
        JsonNode parent = root;
        foreach (string segment in segments[..^1])
        {
            parent = (IsIndex(segment, out int index) ? parent[index] : parent[segment]) ?? throw new ArgumentException("No " + path, nameof(path));
        }

        string last = segments[^1];
        JsonNode? value = rawValue is null ? null : JsonNode.Parse(rawValue);
        if (IsIndex(last, out int lastIndex))
        {
            parent[lastIndex] = value;
        }
        else if (rawValue is null)
        {
            parent.AsObject().Remove(last).ShouldBeTrue(path);
        }
        else
        {
            parent[last] = value;
        }

        return root.ToJsonString();
    }

    private static bool IsIndex(string segment, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index);

    /// <summary>Every subschema under <c>properties</c>, <c>items</c> and <c>additionalProperties</c>, with its path.</summary>
    private static IEnumerable<(string Path, JsonElement Schema)> Subschemas(JsonElement schema, string path)
    {
        var children = new List<(string, JsonElement)>();
        if (schema.TryGetProperty("properties", out JsonElement properties))
        {
            children.AddRange(properties.EnumerateObject().Select(p => (path + "/properties/" + p.Name, p.Value)));
        }

        foreach (string keyword in (string[])["items", "additionalProperties"])
        {
            if (schema.TryGetProperty(keyword, out JsonElement child) && child.ValueKind == JsonValueKind.Object)
            {
                children.Add((path + "/" + keyword, child));
            }
        }

        foreach ((string childPath, JsonElement child) in children)
        {
            yield return (childPath, child);
            foreach ((string Path, JsonElement Schema) nested in Subschemas(child, childPath))
            {
                yield return nested;
            }
        }
    }
}

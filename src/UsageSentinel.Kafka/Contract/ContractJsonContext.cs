using System.Text.Json.Serialization;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// Source-generated metadata for the wire DTOs: no reflection. Strict JSON (no comments, no trailing
/// commas, numbers are numbers), snake_case names, case-sensitive matching, unknown fields skipped.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EventDto))]
internal sealed partial class ContractJsonContext : JsonSerializerContext;

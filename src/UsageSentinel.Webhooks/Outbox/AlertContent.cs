using System.Globalization;
using System.Text.Json;
using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Webhooks.Outbox;

/// <summary>
/// An anomaly as stored in the outbox: the JSON of the anomaly topic (written by <see cref="AnomalyJson"/>) with the
/// fields the receivers format read back from it.
/// </summary>
internal sealed record AlertContent
{
    public required string AnomalyId { get; init; }

    public required string AccountId { get; init; }

    public required IReadOnlyList<string> LinkedAccountIds { get; init; }

    public required string Detector { get; init; }

    public required DateTimeOffset EventTime { get; init; }

    public required double Score { get; init; }

    public required Severity Severity { get; init; }

    public required double Confidence { get; init; }

    public required AnomalyStatus Status { get; init; }

    public required string Summary { get; init; }

    public required IReadOnlyList<RootCause> RootCauses { get; init; }

    public required string DedupKey { get; init; }

    /// <summary>Gets the anomaly JSON, byte for byte as <see cref="AnomalyJson.ToUtf8"/> wrote it.</summary>
    public required ReadOnlyMemory<byte> Json { get; init; }

    public bool IsResolved => Status == AnomalyStatus.Resolved;

    public static AlertContent From(AnomalyDetected anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        return new AlertContent
        {
            AnomalyId = anomaly.AnomalyId,
            AccountId = anomaly.AccountId,
            LinkedAccountIds = anomaly.LinkedAccountIds,
            Detector = anomaly.Detector,
            EventTime = anomaly.EventTime,
            Score = anomaly.Score,
            Severity = anomaly.Severity,
            Confidence = anomaly.Confidence,
            Status = anomaly.Status,
            Summary = anomaly.Summary,
            RootCauses = anomaly.RootCauses,
            DedupKey = anomaly.DedupKey,
            Json = AnomalyJson.ToUtf8(anomaly),
        };
    }

    /// <summary>Reads the fields back from anomaly JSON; throws <see cref="JsonException"/> or <see cref="FormatException"/> when it is not one.</summary>
    public static AlertContent Parse(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new AlertContent
        {
            AnomalyId = root.GetProperty("anomaly_id").GetString()!,
            AccountId = root.GetProperty("account_id").GetString()!,
            LinkedAccountIds = root.GetProperty("linked_account_ids").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            Detector = root.GetProperty("detector").GetString()!,
            EventTime = DateTimeOffset.Parse(root.GetProperty("event_time").GetString()!, CultureInfo.InvariantCulture),
            Score = Number(root.GetProperty("score")),
            Severity = ParseSeverity(root.GetProperty("severity").GetString()),
            Confidence = Number(root.GetProperty("confidence")),
            Status = ParseStatus(root.GetProperty("status").GetString()),
            Summary = root.GetProperty("summary").GetString()!,
            RootCauses = root.GetProperty("root_causes").EnumerateArray().Select(c => new RootCause(
                c.GetProperty("feature").GetString()!,
                Number(c.GetProperty("actual")),
                Number(c.GetProperty("typical_or_threshold")),
                Number(c.GetProperty("contribution")))).ToArray(),
            DedupKey = root.GetProperty("dedup_key").GetString()!,
            Json = json,
        };
    }

    public static Severity ParseSeverity(string? name) => name switch
    {
        "low" => Severity.Low,
        "medium" => Severity.Medium,
        "high" => Severity.High,
        "critical" => Severity.Critical,
        _ => throw new FormatException($"Unknown severity '{name}'."),
    };

    private static AnomalyStatus ParseStatus(string? name) => name switch
    {
        "open" => AnomalyStatus.Open,
        "updated" => AnomalyStatus.Updated,
        "resolved" => AnomalyStatus.Resolved,
        _ => throw new FormatException($"Unknown status '{name}'."),
    };

    private static double Number(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number ? element.GetDouble() : double.NaN;
}

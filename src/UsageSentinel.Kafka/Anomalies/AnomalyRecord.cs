using System.Text.Json;

namespace UsageSentinel.Kafka.Anomalies;

/// <summary>The fields of an anomaly message that readers (the demo view, tests) need.</summary>
/// <param name="AnomalyId">The anomaly id.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Detector">The detector.</param>
/// <param name="EventTime">The event time, as written.</param>
/// <param name="Score">The score.</param>
/// <param name="Severity">The severity.</param>
/// <param name="Status">open, updated or resolved.</param>
/// <param name="Summary">The summary.</param>
/// <param name="DedupKey">The dedup key.</param>
/// <param name="Kind">For training_scale: crossed, projected or resolved.</param>
/// <param name="LinkedAccountIds">Other accounts in the finding.</param>
public sealed record AnomalyRecord(
    string AnomalyId, string AccountId, string Detector, string EventTime, double Score, string Severity, string Status, string Summary, string DedupKey, string? Kind,
    IReadOnlyList<string> LinkedAccountIds)
{
    /// <summary>Reads an anomaly message.</summary>
    /// <param name="utf8Json">The message value.</param>
    /// <returns>The record.</returns>
    /// <exception cref="JsonException">The message is not an anomaly.</exception>
    public static AnomalyRecord Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        string Text(string name) => root.GetProperty(name).GetString() ?? throw new JsonException($"'{name}' is null.");
        string? kind = root.TryGetProperty("training_scale", out var details) ? details.GetProperty("kind").GetString() : null;
        return new AnomalyRecord(
            Text("anomaly_id"), Text("account_id"), Text("detector"), Text("event_time"), root.GetProperty("score").GetDouble(),
            Text("severity"), Text("status"), Text("summary"), Text("dedup_key"), kind,
            root.TryGetProperty("linked_account_ids", out var linked) ? [.. linked.EnumerateArray().Select(e => e.GetString() ?? string.Empty)] : []);
    }
}

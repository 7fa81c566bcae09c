using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace UsageSentinel.Core.Anomalies;

/// <summary>
/// Writes anomalies as the JSON of the anomaly topic (schema <c>Schemas/anomaly.schema.json</c>). The output is
/// deterministic: the same anomaly always gives the same bytes.
/// </summary>
public static class AnomalyJson
{
    /// <summary>The version of the anomaly format.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        SkipValidation = false,

        // The output is read by tools and people, not embedded in HTML: keep '+', quotes and non-ASCII readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises <paramref name="anomaly"/> to UTF-8 JSON.</summary>
    /// <param name="anomaly">The anomaly.</param>
    /// <returns>The bytes.</returns>
    public static byte[] ToUtf8(AnomalyDetected anomaly)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(buffer, anomaly);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="anomaly"/> as one JSON object.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="anomaly">The anomaly.</param>
    public static void Write(IBufferWriter<byte> output, AnomalyDetected anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("anomaly_id", anomaly.AnomalyId);
        writer.WriteString("account_id", anomaly.AccountId);
        writer.WriteStartArray("linked_account_ids");
        foreach (var id in anomaly.LinkedAccountIds)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteString("detector", anomaly.Detector);
        writer.WriteString("event_time", FormatTime(anomaly.EventTime));
        Number(writer, "score", anomaly.Score);
        writer.WriteString("severity", anomaly.Severity.ToWireName());
        Number(writer, "confidence", anomaly.Confidence);
        writer.WriteString("status", StatusName(anomaly.Status));
        writer.WriteString("summary", anomaly.Summary);
        writer.WriteStartArray("root_causes");
        foreach (var cause in anomaly.RootCauses)
        {
            writer.WriteStartObject();
            writer.WriteString("feature", cause.Feature);
            Number(writer, "actual", cause.Actual);
            Number(writer, "typical_or_threshold", cause.TypicalOrThreshold);
            Number(writer, "contribution", cause.Contribution);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("dedup_key", anomaly.DedupKey);
        writer.WriteNumber("schema_version", SchemaVersion);
        if (anomaly.TrainingScale is { } details)
        {
            WriteTrainingScale(writer, details);
        }

        writer.WriteEndObject();
    }

    /// <summary>Formats an event time as RFC 3339 in UTC with only the fraction digits needed.</summary>
    /// <param name="time">The time.</param>
    /// <returns>For example <c>2026-03-01T12:00:00Z</c>.</returns>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns the wire name of a status: <c>open</c>, <c>updated</c> or <c>resolved</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The wire name.</returns>
    public static string StatusName(AnomalyStatus status) => status switch
    {
        AnomalyStatus.Open => "open",
        AnomalyStatus.Updated => "updated",
        _ => "resolved",
    };

    private static void WriteTrainingScale(Utf8JsonWriter writer, TrainingScaleDetails details)
    {
        writer.WriteStartObject("training_scale");
        writer.WriteString("scope", details.Scope);
        writer.WriteString("kind", details.Kind);
        if (details.RunKey is not null)
        {
            writer.WriteString("run_key", details.RunKey);
        }

        if (details.Region is not null)
        {
            writer.WriteString("region", details.Region);
        }

        if (details.PlacementGroup is not null)
        {
            writer.WriteString("placement_group", details.PlacementGroup);
        }

        writer.WriteString("window_start", FormatTime(details.WindowStart));
        writer.WriteString("window_end", FormatTime(details.WindowEnd));
        Number(writer, "tier_flop", details.TierFlop);
        Number(writer, "estimated_flop", details.EstimatedFlop);
        Number(writer, "estimated_flop_low", details.EstimatedFlopLow);
        Number(writer, "estimated_flop_high", details.EstimatedFlopHigh);
        Number(writer, "utilization", details.Utilization);
        writer.WriteStartObject("gpu_hours_by_model");
        foreach (var (model, hours) in details.GpuHoursByModel)
        {
            Number(writer, model, hours);
        }

        writer.WriteEndObject();
        writer.WriteNumber("concurrent_gpus", details.ConcurrentGpus);
        writer.WriteNumber("peak_concurrent_gpus", details.PeakConcurrentGpus);
        Number(writer, "cluster_peak_flops_per_s", details.ClusterPeakFlopsPerSecond);
        Number(writer, "estimated_flops_per_s", details.EstimatedFlopsPerSecond);
        if (details.ProjectedCrossingAt is { } at)
        {
            writer.WriteString("projected_crossing_at", FormatTime(at));
        }

        writer.WriteBoolean("allowlisted", details.Allowlisted);
        writer.WriteStartArray("evidence_event_ids");
        foreach (var id in details.EvidenceEventIds)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

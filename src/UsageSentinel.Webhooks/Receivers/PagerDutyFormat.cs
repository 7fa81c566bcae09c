using System.Text.Json;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>
/// PagerDuty Events API v2: one event per request, <c>trigger</c> for open and updated anomalies and <c>resolve</c> for
/// resolved ones, keyed by the anomaly's dedup key; the anomaly JSON goes in <c>payload.custom_details</c>.
/// </summary>
internal sealed class PagerDutyFormat(ReceiverOptions options) : IReceiverFormat
{
    public const int MaxSummaryLength = 1024;
    public const int MaxDedupKeyLength = 255;

    private readonly Uri _url = new(options.EffectiveUrl!);

    public int MaxBatch => 1;

    /// <summary>Maps severities to PagerDuty's: critical→critical, high→error, medium→warning, low→info.</summary>
    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.High => "error",
        Severity.Medium => "warning",
        _ => "info",
    };

    public HttpRequestMessage CreateRequest(IReadOnlyList<OutboxEntry> batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var body = JsonBody.Create((Options: options, batch[0].Content), static (writer, state) =>
        {
            var content = state.Content;
            writer.WriteStartObject();
            writer.WriteString("routing_key", state.Options.RoutingKey);
            writer.WriteString("event_action", content.IsResolved ? "resolve" : "trigger");
            writer.WriteString("dedup_key", AlertText.LimitKey(content.DedupKey, MaxDedupKeyLength));
            if (!content.IsResolved)
            {
                writer.WriteString("client", "UsageSentinel");
                WritePayload(writer, state.Options, content);
            }

            writer.WriteEndObject();
        });
        return new HttpRequestMessage(HttpMethod.Post, _url) { Content = body };
    }

    private static void WritePayload(Utf8JsonWriter writer, ReceiverOptions options, AlertContent content)
    {
        writer.WriteStartObject("payload");
        writer.WriteString("summary", AlertText.Truncate(AlertText.Title(content), MaxSummaryLength));
        writer.WriteString("source", options.Source);
        writer.WriteString("severity", SeverityName(content.Severity));
        writer.WriteString("timestamp", AnomalyJson.FormatTime(content.EventTime));
        writer.WriteString("component", content.Detector);
        writer.WriteString("group", content.AccountId);
        writer.WriteString("class", content.Detector);
        writer.WritePropertyName("custom_details");
        writer.WriteRawValue(content.Json.Span, skipInputValidation: true);
        writer.WriteEndObject();
    }
}

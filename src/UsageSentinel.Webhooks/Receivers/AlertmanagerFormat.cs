using System.Text.Json;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>
/// Prometheus Alertmanager <c>POST /api/v2/alerts</c>: a batch of alerts labelled <c>alertname</c>, <c>detector</c>,
/// <c>severity</c>, <c>account_id</c> and <c>dedup_key</c>. A firing alert ends <see cref="ReceiverOptions.AlertLifetime"/>
/// after sending; a resolved anomaly ends it at its event time (never later than now). Since the severity is a label, a
/// severity change also ends the alert under its old severity.
/// </summary>
internal sealed class AlertmanagerFormat(ReceiverOptions options) : IReceiverFormat
{
    private readonly Uri _url = new(options.Url!.TrimEnd('/') + "/api/v2/alerts");

    public int MaxBatch => options.MaxGroupSize;

    public HttpRequestMessage CreateRequest(IReadOnlyList<OutboxEntry> batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var body = JsonBody.Create((Batch: batch, Now: now, options.AlertLifetime), static (writer, state) =>
        {
            writer.WriteStartArray();
            foreach (var entry in state.Batch)
            {
                var content = entry.Content;
                if (content.IsResolved)
                {
                    var end = content.EventTime < state.Now ? content.EventTime : state.Now;
                    WriteAlert(writer, content, entry.KnownSeverity, end, end);
                    continue;
                }

                var start = content.EventTime < state.Now ? content.EventTime : state.Now;
                WriteAlert(writer, content, content.Severity, start, state.Now + state.AlertLifetime);
                if ((entry.SeverityAtReceiver ?? entry.PreviousSeverity) is { } old && old != content.Severity)
                {
                    WriteAlert(writer, content, old, state.Now, state.Now);
                }
            }

            writer.WriteEndArray();
        });
        return new HttpRequestMessage(HttpMethod.Post, _url) { Content = body };
    }

    private static void WriteAlert(Utf8JsonWriter writer, AlertContent content, Severity severity, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("labels");
        writer.WriteString("alertname", WebhooksConstants.AlertName);
        writer.WriteString("detector", content.Detector);
        writer.WriteString("severity", severity.ToWireName());
        writer.WriteString("account_id", content.AccountId);
        writer.WriteString("dedup_key", content.DedupKey);
        writer.WriteEndObject();
        writer.WriteStartObject("annotations");
        writer.WriteString("summary", content.Summary);
        writer.WriteString("description", AlertText.Description(content));
        writer.WriteString("score", AlertText.Number(content.Score));
        writer.WriteString("anomaly_id", content.AnomalyId);
        writer.WriteEndObject();
        writer.WriteString("startsAt", AnomalyJson.FormatTime(startsAt));
        writer.WriteString("endsAt", AnomalyJson.FormatTime(endsAt));
        writer.WriteEndObject();
    }
}

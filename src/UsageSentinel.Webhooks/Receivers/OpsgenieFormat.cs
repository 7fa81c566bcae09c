using System.Net.Http.Headers;
using System.Text.Json;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>
/// Opsgenie Alert API v2: <c>POST /v2/alerts</c> creates an alert whose <c>alias</c> is the dedup key (Opsgenie
/// de-duplicates on it); a resolved anomaly closes it with <c>POST /v2/alerts/{alias}/close?identifierType=alias</c>.
/// </summary>
internal sealed class OpsgenieFormat(ReceiverOptions options) : IReceiverFormat
{
    public const int MaxMessageLength = 130;
    public const int MaxAliasLength = 512;
    public const int MaxDescriptionLength = 15_000;
    public const int MaxNoteLength = 25_000;

    private readonly string _baseUrl = options.EffectiveUrl!.TrimEnd('/');

    public int MaxBatch => 1;

    /// <summary>Maps severities to priorities: critical→P1, high→P2, medium→P3, low→P4 (P5 is left for informational alerts, which Core does not raise).</summary>
    public static string Priority(Severity severity) => severity switch
    {
        Severity.Critical => "P1",
        Severity.High => "P2",
        Severity.Medium => "P3",
        _ => "P4",
    };

    public HttpRequestMessage CreateRequest(IReadOnlyList<OutboxEntry> batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var content = batch[0].Content;
        var alias = AlertText.LimitKey(content.DedupKey, MaxAliasLength);
        HttpRequestMessage request;
        if (content.IsResolved)
        {
            var url = $"{_baseUrl}/v2/alerts/{Uri.EscapeDataString(alias)}/close?identifierType=alias";
            request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonBody.Create((Options: options, Content: content), static (writer, state) =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("source", state.Options.Source);
                    writer.WriteString("note", AlertText.Truncate(AlertText.Title(state.Content), MaxNoteLength));
                    writer.WriteEndObject();
                }),
            };
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Post, $"{_baseUrl}/v2/alerts")
            {
                Content = JsonBody.Create((Options: options, Content: content, Alias: alias), static (writer, state) =>
                    WriteAlert(writer, state.Options, state.Content, state.Alias)),
            };
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("GenieKey", options.ApiKey);
        return request;
    }

    private static void WriteAlert(Utf8JsonWriter writer, ReceiverOptions options, AlertContent content, string alias)
    {
        writer.WriteStartObject();
        writer.WriteString("message", AlertText.Truncate(AlertText.Title(content), MaxMessageLength));
        writer.WriteString("alias", alias);
        writer.WriteString("description", AlertText.Truncate(AlertText.Description(content), MaxDescriptionLength));
        writer.WriteString("priority", Priority(content.Severity));
        writer.WriteString("source", options.Source);
        writer.WriteString("entity", content.AccountId);
        writer.WriteStartArray("tags");
        writer.WriteStringValue(WebhooksConstants.DefaultSource);
        writer.WriteStringValue(content.Detector);
        writer.WriteStringValue(content.Severity.ToWireName());
        writer.WriteEndArray();
        writer.WriteStartObject("details");
        writer.WriteString("anomaly_id", content.AnomalyId);
        writer.WriteString("account_id", content.AccountId);
        writer.WriteString("detector", content.Detector);
        writer.WriteString("severity", content.Severity.ToWireName());
        writer.WriteString("score", AlertText.Number(content.Score));
        writer.WriteString("confidence", AlertText.Number(content.Confidence));
        writer.WriteString("event_time", AnomalyJson.FormatTime(content.EventTime));
        writer.WriteString("dedup_key", content.DedupKey);
        if (content.LinkedAccountIds.Count > 0)
        {
            writer.WriteString("linked_account_ids", string.Join(",", content.LinkedAccountIds));
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

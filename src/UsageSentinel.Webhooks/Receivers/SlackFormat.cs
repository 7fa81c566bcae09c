using System.Text;
using System.Text.Json;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>
/// Slack incoming webhook with Block Kit: one message for a group of alerts, a section and a context block per alert
/// (a header first when there are several). Resolved anomalies read <c>RESOLVED</c>.
/// </summary>
internal sealed class SlackFormat(ReceiverOptions options) : IReceiverFormat
{
    public const int MaxSectionLength = 3_000;
    public const int MaxContextLength = 2_000;

    private readonly Uri _url = new(options.Url!);

    public int MaxBatch => options.MaxGroupSize;

    public HttpRequestMessage CreateRequest(IReadOnlyList<OutboxEntry> batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var body = JsonBody.Create(batch, static (writer, batch) =>
        {
            writer.WriteStartObject();
            var heading = batch.Count == 1 ? AlertText.Title(batch[0].Content) : $"UsageSentinel: {batch.Count} anomalies";
            writer.WriteString("text", AlertText.Truncate(heading, MaxSectionLength));
            writer.WriteStartArray("blocks");
            if (batch.Count > 1)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "header");
                WriteText(writer, "plain_text", heading);
                writer.WriteEndObject();
            }

            foreach (var entry in batch)
            {
                WriteAlert(writer, entry.Content);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return new HttpRequestMessage(HttpMethod.Post, _url) { Content = body };
    }

    /// <summary>Escapes the characters Slack's mrkdwn gives meaning to.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    private static void WriteAlert(Utf8JsonWriter writer, AlertContent content)
    {
        var headline = content.IsResolved
            ? $":white_check_mark: *RESOLVED* `{Escape(content.Detector)}` · account `{Escape(content.AccountId)}`"
            : $"{Emoji(content.Severity)} *{content.Severity.ToWireName().ToUpperInvariant()}* `{Escape(content.Detector)}` · account `{Escape(content.AccountId)}` · score {AlertText.Number(content.Score)}";
        writer.WriteStartObject();
        writer.WriteString("type", "section");
        WriteText(writer, "mrkdwn", AlertText.Truncate($"{headline}\n{Escape(content.Summary)}", MaxSectionLength));
        writer.WriteEndObject();

        var context = new StringBuilder();
        foreach (var cause in content.RootCauses)
        {
            context.Append(Escape(AlertText.RootCause(cause))).Append(" · ");
        }

        context.Append("dedup `").Append(Escape(content.DedupKey)).Append("` · ").Append(AnomalyJson.FormatTime(content.EventTime));
        writer.WriteStartObject();
        writer.WriteString("type", "context");
        writer.WriteStartArray("elements");
        writer.WriteStartObject();
        writer.WriteString("type", "mrkdwn");
        writer.WriteString("text", AlertText.Truncate(context.ToString(), MaxContextLength));
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter writer, string type, string text)
    {
        writer.WriteStartObject("text");
        writer.WriteString("type", type);
        writer.WriteString("text", type == "plain_text" ? AlertText.Truncate(text, 150) : text);
        writer.WriteEndObject();
    }

    private static string Emoji(Severity severity) => severity switch
    {
        Severity.Critical => ":rotating_light:",
        Severity.High => ":red_circle:",
        Severity.Medium => ":large_orange_circle:",
        _ => ":large_blue_circle:",
    };
}

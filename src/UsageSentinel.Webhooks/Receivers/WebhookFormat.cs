using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>
/// The generic webhook: the anomaly JSON of the anomaly topic as the body, signed with
/// <see cref="WebhookSignature"/> in the <c>X-UsageSentinel-Timestamp</c> and <c>X-UsageSentinel-Signature</c> headers.
/// </summary>
internal sealed class WebhookFormat(ReceiverOptions options) : IReceiverFormat
{
    private readonly Uri _url = new(options.Url!);

    public int MaxBatch => 1;

    public HttpRequestMessage CreateRequest(IReadOnlyList<OutboxEntry> batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var json = batch[0].Content.Json;
        var timestamp = now.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = JsonBody.Utf8(json) };
        request.Headers.Add(WebhooksConstants.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhooksConstants.SignatureHeader, WebhookSignature.Sign(options.HmacKey!, timestamp, json.Span));
        return request;
    }
}

using System.Text.Json;
using UsageSentinel.Webhooks.Outbox;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Tests.TestSupport;

/// <summary>Outbox entries for format tests, and the requests formats make of them.</summary>
internal static class Deliveries
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static long _sequence;

    public static OutboxEntry Of(AnomalyDetected anomaly, Severity? previous = null, string receiver = "test") =>
        new(Interlocked.Increment(ref _sequence), receiver, Now, AlertContent.From(anomaly), previous);

    public static HttpRequestMessage Request(IReceiverFormat format, params OutboxEntry[] batch) => format.CreateRequest(batch, Now);

    public static async Task<JsonElement> BodyAsync(HttpRequestMessage request)
    {
        var bytes = await request.Content!.ReadAsByteArrayAsync();
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    public static async Task<JsonElement> BodyAsync(IReceiverFormat format, params OutboxEntry[] batch)
    {
        using var request = Request(format, batch);
        return await BodyAsync(request);
    }
}

using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>Turns deliveries into the HTTP request of one receiver type.</summary>
internal interface IReceiverFormat
{
    /// <summary>Gets the most deliveries one request carries (1 for APIs that take one event per request).</summary>
    int MaxBatch { get; }

    /// <summary>Creates the request for <paramref name="batch"/> (1..<see cref="MaxBatch"/> deliveries, at most one per dedup key).</summary>
    /// <param name="batch">The deliveries.</param>
    /// <param name="now">The wall-clock time of sending.</param>
    /// <returns>The request.</returns>
    HttpRequestMessage CreateRequest(IReadOnlyList<OutboxEntry> batch, DateTimeOffset now);
}

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>Keys of the <see cref="HttpRequestMessage.Options"/> a delivery request carries.</summary>
internal static class DeliveryRequestOptions
{
    /// <summary>The receiver name: selects the receiver's resilience pipeline (and so its circuit breaker).</summary>
    public static readonly HttpRequestOptionsKey<string> Receiver = new("UsageSentinel.Webhooks.Receiver");

    /// <summary>Counts the attempts.</summary>
    public static readonly HttpRequestOptionsKey<AttemptCounter> Attempts = new("UsageSentinel.Webhooks.Attempts");
}

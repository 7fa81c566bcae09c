namespace UsageSentinel.Webhooks.Delivery;

/// <summary>How one send went.</summary>
internal readonly record struct SendResult(SendResultKind Kind, string Reason, TimeSpan? RetryAfter)
{
    public static SendResult Delivered { get; } = new(SendResultKind.Delivered, string.Empty, null);

    public static SendResult Rejected(string reason) => new(SendResultKind.Rejected, reason, null);

    public static SendResult Transient(string reason, TimeSpan? retryAfter = null) => new(SendResultKind.Transient, reason, retryAfter);
}

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>The kinds of <see cref="SendResult"/>.</summary>
internal enum SendResultKind
{
    /// <summary>2xx.</summary>
    Delivered,

    /// <summary>A permanent error (4xx other than 408 and 429): retrying cannot help.</summary>
    Rejected,

    /// <summary>408, 429, 5xx, network error, timeout or open circuit, after the retries: try again later.</summary>
    Transient,
}

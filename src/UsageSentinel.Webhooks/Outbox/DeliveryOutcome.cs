namespace UsageSentinel.Webhooks.Outbox;

/// <summary>How a delivery left the outbox.</summary>
internal enum DeliveryOutcome
{
    /// <summary>The receiver accepted it.</summary>
    Delivered,

    /// <summary>A later update of the same incident replaced it (cooldown, or a resolution of a delivered incident).</summary>
    Superseded,

    /// <summary>It went to the undeliverable-alert sink.</summary>
    DeadLettered,
}

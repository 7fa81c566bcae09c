namespace UsageSentinel.Core.Events;

/// <summary>The event types of the wire contract.</summary>
public enum AccountEventKind : byte
{
    /// <summary><c>instance.launched</c>.</summary>
    InstanceLaunched,

    /// <summary><c>instance.terminated</c>.</summary>
    InstanceTerminated,

    /// <summary><c>instance.access</c>.</summary>
    InstanceAccessed,

    /// <summary><c>billing.charge</c>.</summary>
    UsageBilled,

    /// <summary><c>billing.payment</c>.</summary>
    PaymentMade,

    /// <summary><c>account.upserted</c>.</summary>
    AccountUpserted,
}

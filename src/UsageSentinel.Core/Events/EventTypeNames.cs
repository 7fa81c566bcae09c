namespace UsageSentinel.Core.Events;

/// <summary>Wire names of the event types and the default topics they travel on.</summary>
public static class EventTypeNames
{
    /// <summary><c>instance.launched</c>.</summary>
    public const string InstanceLaunched = "instance.launched";

    /// <summary><c>instance.terminated</c>.</summary>
    public const string InstanceTerminated = "instance.terminated";

    /// <summary><c>instance.access</c>.</summary>
    public const string InstanceAccess = "instance.access";

    /// <summary><c>billing.charge</c>.</summary>
    public const string BillingCharge = "billing.charge";

    /// <summary><c>billing.payment</c>.</summary>
    public const string BillingPayment = "billing.payment";

    /// <summary><c>account.upserted</c>.</summary>
    public const string AccountUpserted = "account.upserted";

    /// <summary>Returns the wire name of <paramref name="kind"/>.</summary>
    /// <param name="kind">The event kind.</param>
    /// <returns>The <c>event_type</c> string.</returns>
    public static string ToWireName(this AccountEventKind kind) => kind switch
    {
        AccountEventKind.InstanceLaunched => InstanceLaunched,
        AccountEventKind.InstanceTerminated => InstanceTerminated,
        AccountEventKind.InstanceAccessed => InstanceAccess,
        AccountEventKind.UsageBilled => BillingCharge,
        AccountEventKind.PaymentMade => BillingPayment,
        AccountEventKind.AccountUpserted => AccountUpserted,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown event kind."),
    };

    /// <summary>Maps a wire name to its kind.</summary>
    /// <param name="eventType">The <c>event_type</c> string.</param>
    /// <param name="kind">The kind, when known.</param>
    /// <returns><see langword="true"/> when the type is part of the contract.</returns>
    public static bool TryParse(string? eventType, out AccountEventKind kind)
    {
        switch (eventType)
        {
            case InstanceLaunched: kind = AccountEventKind.InstanceLaunched; return true;
            case InstanceTerminated: kind = AccountEventKind.InstanceTerminated; return true;
            case InstanceAccess: kind = AccountEventKind.InstanceAccessed; return true;
            case BillingCharge: kind = AccountEventKind.UsageBilled; return true;
            case BillingPayment: kind = AccountEventKind.PaymentMade; return true;
            case AccountUpserted: kind = AccountEventKind.AccountUpserted; return true;
            default: kind = default; return false;
        }
    }
}

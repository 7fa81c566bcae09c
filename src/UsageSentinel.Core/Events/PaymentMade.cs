namespace UsageSentinel.Core.Events;

/// <summary>A payment was made (<c>billing.payment</c>).</summary>
public sealed record PaymentMade(string EventId, string AccountId, DateTimeOffset OccurredAt)
    : AccountEvent(EventId, AccountId, OccurredAt)
{
    /// <inheritdoc />
    public override AccountEventKind Kind => AccountEventKind.PaymentMade;

    /// <summary>Gets the amount, never negative.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the ISO 4217 currency code.</summary>
    public required string Currency { get; init; }

    /// <summary>Gets the payment method, when known.</summary>
    public PaymentMethod? Method { get; init; }

    /// <summary>Gets the ISO 3166-1 alpha-2 payer country, when known.</summary>
    public string? PayerCountry { get; init; }

    /// <summary>Gets whether someone other than the account holder paid, when known.</summary>
    public bool? ThirdParty { get; init; }
}

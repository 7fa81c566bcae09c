namespace UsageSentinel.Core.Events;

/// <summary>How a payment was made.</summary>
/// <param name="Fingerprint">Stable fingerprint of the instrument.</param>
/// <param name="Kind"><c>card</c>, <c>wire</c>, <c>prepaid</c>, <c>crypto</c> or <c>marketplace</c>.</param>
/// <param name="IssuerCountry">ISO 3166-1 alpha-2 country of the issuer.</param>
public sealed record PaymentMethod(string? Fingerprint, string? Kind, string? IssuerCountry);

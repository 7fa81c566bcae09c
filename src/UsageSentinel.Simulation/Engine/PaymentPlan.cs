namespace UsageSentinel.Simulation.Engine;

/// <summary>How and how often an account pays what it was charged.</summary>
/// <param name="Fingerprint">The payment instrument fingerprint.</param>
/// <param name="Kind"><c>card</c>, <c>wire</c>, <c>prepaid</c>, <c>crypto</c> or <c>marketplace</c>.</param>
/// <param name="IssuerCountry">The instrument's issuer country.</param>
/// <param name="PayerCountry">The payer's country.</param>
/// <param name="ThirdParty">Whether someone else pays.</param>
/// <param name="CycleDays">Days between payments; the first falls on the last day of the first cycle.</param>
internal sealed record PaymentPlan(
    string Fingerprint, string Kind, string IssuerCountry, string PayerCountry, bool ThirdParty, int CycleDays);

namespace UsageSentinel.Kafka.Contract;

/// <summary>The <c>payment_method</c> object of <c>billing.payment</c>.</summary>
internal sealed class PaymentMethodDto
{
    public string? Fingerprint { get; set; }

    public string? Kind { get; set; }

    public string? IssuerCountry { get; set; }
}

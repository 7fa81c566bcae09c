namespace UsageSentinel.Kafka.Contract;

/// <summary>The <c>caller</c> object of <c>instance.launched</c>.</summary>
internal sealed class CallerDto
{
    public string? PrincipalId { get; set; }

    public string? SourceIp { get; set; }

    public string? SourceCountry { get; set; }

    public long? SourceAsn { get; set; }

    public bool? Anonymizer { get; set; }
}

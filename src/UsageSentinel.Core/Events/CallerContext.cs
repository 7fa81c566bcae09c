namespace UsageSentinel.Core.Events;

/// <summary>Who made a call, as far as the provider knows: the <c>caller</c> object of a launch.</summary>
/// <param name="PrincipalId">User, role or SSH key identity.</param>
/// <param name="SourceIp">Source IP address.</param>
/// <param name="SourceCountry">ISO 3166-1 alpha-2 country of the source address.</param>
/// <param name="SourceAsn">Autonomous system number of the source address.</param>
/// <param name="Anonymizer">Whether the source is a VPN, Tor or hosting exit.</param>
public sealed record CallerContext(
    string? PrincipalId, string? SourceIp, string? SourceCountry, long? SourceAsn, bool? Anonymizer);

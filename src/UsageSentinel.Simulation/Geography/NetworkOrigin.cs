namespace UsageSentinel.Simulation.Geography;

/// <summary>Where a call came from: the <c>source_*</c> and <c>anonymizer</c> fields of the contract.</summary>
internal sealed record NetworkOrigin(string SourceIp, string Country, long Asn, bool Anonymizer);

using System.Globalization;
using UsageSentinel.Simulation.Randomness;

namespace UsageSentinel.Simulation.Geography;

/// <summary>An autonomous system and one of its /16 prefixes ("a.b").</summary>
internal sealed record Network(string Country, long Asn, string Prefix, bool Anonymizer = false)
{
    public NetworkOrigin NewOrigin(SimRandom random) =>
        new(NewAddress(random), Country, Asn, Anonymizer);

    public string NewAddress(SimRandom random) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}.{random.Between(0, 255)}.{random.Between(1, 254)}");
}

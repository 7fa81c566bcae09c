using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;
using UsageSentinel.Simulation.Randomness;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>What the linked accounts of one structuring group share: payment instrument, SSH keys, network, domain, cloud region.</summary>
internal sealed class StructuringGroup
{
    private static readonly Country[] Declared = [Countries.SG, Countries.AE, Countries.MY, Countries.TH, Countries.NL, Countries.US];

    public StructuringGroup(SimRandom random, IReadOnlyList<string> accountIds)
    {
        AccountIds = accountIds;
        Country = random.Pick(Declared);
        Network = random.Pick(Country.Networks);
        Provider = (CloudProvider)random.Below(3);
        Region = Regions.Near(Provider, Country.Continent, random);
        EmailDomain = Names.CompanyDomain(random, random.Chance(0.5) ? "io" : Names.TopLevelDomain(Country.Code));
        PaymentFingerprint = Names.PaymentFingerprint(random);
        PaymentKind = random.Chance(0.6) ? "card" : "prepaid";
        var keys = new string[random.Between(2, 3)];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Names.SshKey(random);
        }

        SharedSshKeys = keys;
    }

    public IReadOnlyList<string> AccountIds { get; }

    public Country Country { get; }

    public Network Network { get; }

    public CloudProvider Provider { get; }

    public string Region { get; }

    public string EmailDomain { get; }

    public string PaymentFingerprint { get; }

    public string PaymentKind { get; }

    public IReadOnlyList<string> SharedSshKeys { get; }

    /// <summary>The other members of the group.</summary>
    public string[] LinkedTo(string accountId)
    {
        var others = new List<string>(AccountIds.Count - 1);
        foreach (string id in AccountIds)
        {
            if (id != accountId)
            {
                others.Add(id);
            }
        }

        return [.. others];
    }
}

using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>
/// One of 3-4 linked accounts that split a training run: each cluster stays below the per-account tiers (about 5e22 to
/// 7.5e22 FLOP over the period) while the group together passes 1e23. They share a payment fingerprint, SSH keys, source
/// network and e-mail domain, and show mild resale signals.
/// </summary>
internal sealed class StructuringAccount : AccountSimulation
{
    private readonly StructuringGroup _group;
    private readonly SimInstanceType _type;
    private readonly Principal[] _people;
    private readonly string _placementGroup;
    private readonly string _zone;
    private readonly int _nodes;
    private readonly double _activityFrom;
    private readonly DateTimeOffset _abuseStart;
    private readonly int _abuseDay;

    public StructuringAccount(AccountSeed seed, StructuringGroup group)
        : base(seed)
    {
        _group = group;
        _type = SimInstanceTypes.H100Node(group.Provider);
        _placementGroup = Names.PlacementGroup(group.Provider, Random);
        _zone = Regions.Zone(group.Provider, group.Region, Random);
        _abuseStart = AtFraction(Random.Between(0.03, 0.12));
        _abuseDay = DayIndexOf(_abuseStart);
        double target = Random.Between(5e22, 7.5e22);
        _nodes = Math.Clamp((int)(target / (FlopPerSecond(_type) * (PeriodEnd - _abuseStart).TotalSeconds)), 1, 64);
        _activityFrom = 8 + Random.Between(3.0, 5.0);
        _people = new Principal[Random.Between(6, 12)];
        for (int i = 0; i < _people.Length; i++)
        {
            _people[i] = new Principal(Names.Person(Random), group.Network.NewOrigin(Random), Random.Pick(group.SharedSshKeys));
        }

        Profile = new AccountProfile(
            CreatedDaysBefore(10, 60),
            group.Country.Code,
            Random.Chance(0.5) ? "pending" : "verified",
            "business",
            group.EmailDomain);
        Payment = new PaymentPlan(
            group.PaymentFingerprint, group.PaymentKind, group.Country.Code, group.Country.Code, Random.Chance(0.3), CycleDays: 7);
        Label = AbusiveLabel(ScenarioNames.Structuring, _abuseStart, DetectorNames.LinkedAccounts, group.LinkedTo(AccountId));
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        if (day.Index < _abuseDay)
        {
            return;
        }

        if (day.Index == _abuseDay)
        {
            DateTimeOffset at = _abuseStart;
            for (int i = 0; i < _nodes; i++)
            {
                Launch(NewInstance(
                    _type, _group.Region, at, null, Random.Pick(_people), PricingModels.OnDemand, _placementGroup, _zone,
                    sshKey: Random.Pick(_group.SharedSshKeys)));
                at = at.AddSeconds(Random.Between(30, 300));
            }
        }

        int sessions = Random.Between(4, 10);
        for (int i = 0; i < sessions; i++)
        {
            DateTimeOffset at = LocalClock.RandomLocal(Random, day, _group.Country.UtcOffset, _activityFrom, _activityFrom + 12);
            if (at < _abuseStart)
            {
                continue;
            }

            // Mild resale signals: now and then a session from Hong Kong or an anonymizer exit.
            Network? elsewhere = Random.NextDouble() switch
            {
                < 0.08 => Random.Pick(Countries.HK.Networks),
                < 0.15 => Random.Pick(Countries.AnonymizerExits),
                _ => null,
            };
            Principal who = Random.Pick(_people);
            Access(at, who, RunningAt(at)?.Id, Random.Chance(0.8) ? "ssh" : "api", elsewhere?.NewOrigin(Random));
        }
    }
}

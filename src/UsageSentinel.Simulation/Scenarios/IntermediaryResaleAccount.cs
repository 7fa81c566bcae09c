using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;
using UsageSentinel.Simulation.Population;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>
/// A young transit-hub account reselling A100/H100 capacity: after a few quiet days a flat 24x7 fleet, dozens of client
/// principals and SSH keys calling from restricted countries and anonymizers at hours far from the declared country's,
/// third-party prepaid or crypto payments and foreign payers on some launches. Its total compute stays far below the
/// training-scale tiers.
/// </summary>
internal sealed class IntermediaryResaleAccount : AccountSimulation
{
    private static readonly string[] PaymentIssuers = ["HK", "CN", "RU", "AE", "SG", "KZ"];
    private static readonly string[] Domains = ["io", "xyz", "cloud", "net"];

    private readonly Country _country;
    private readonly CloudProvider _provider;
    private readonly string _region;
    private readonly Principal[] _operators;
    private readonly Principal[] _clients;
    private readonly double _activityFrom;
    private readonly DateTimeOffset _abuseStart;
    private readonly int _abuseDay;

    public IntermediaryResaleAccount(AccountSeed seed)
        : base(seed)
    {
        _country = Random.Pick(Countries.TransitHubs);
        _provider = (CloudProvider)Random.PickWeighted([0.25, 0.6, 0.15]);
        _region = Regions.Near(_provider, _country.Continent, Random);
        _operators = People(Random.Between(1, 2), _country.Networks);
        _clients = new Principal[Random.Between(24, 60)];
        for (int i = 0; i < _clients.Length; i++)
        {
            Network network = Random.Chance(0.7)
                ? Random.Pick(Random.Pick(Countries.Restricted).Networks)
                : Random.Pick(Countries.AnonymizerExits);
            string id = Random.Chance(0.6) ? "user/client-" + Random.Hex(6) : "ssh-key/" + Random.Hex(8);
            _clients[i] = NewPrincipal(id, network.NewOrigin(Random));
        }

        // Working hours shifted 7-12 h away from the declared country's: the clients live elsewhere.
        _activityFrom = 7 + Random.Between(7.0, 12.0);
        _abuseStart = LocalClock.Truncate(PeriodStart + TimeSpan.FromDays(Math.Min(Random.Between(1.0, 3.0), Seed.Duration.TotalDays * 0.3)));
        _abuseDay = DayIndexOf(_abuseStart);
        string issuer = Random.Pick(PaymentIssuers);
        Profile = new AccountProfile(
            CreatedDaysBefore(2, 6),
            _country.Code,
            KycOf(Random, verified: 0.1, pending: 0.6),
            Random.Chance(0.6) ? "business" : "reseller",
            Names.CompanyDomain(Random, Random.Pick(Domains)))
        {
            BeneficialOwnerCountry = Random.Chance(0.3) ? Random.Pick(PaymentIssuers) : null,
        };
        Payment = new PaymentPlan(
            Names.PaymentFingerprint(Random), Random.Chance(0.5) ? "prepaid" : "crypto", issuer, issuer, ThirdParty: true, CycleDays: 7);
        Label = AbusiveLabel(ScenarioNames.IntermediaryResale, _abuseStart, DetectorNames.ResaleProxy);
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        if (day.Index < _abuseDay)
        {
            QuietDay(day);
            return;
        }

        if (day.Index == _abuseDay)
        {
            LaunchFleet();
        }
        else if (Random.Chance(0.25))
        {
            RotateInstance(day);
        }

        int sessions = Random.Between(20, 50);
        for (int i = 0; i < sessions; i++)
        {
            DateTimeOffset at = LocalClock.RandomLocal(Random, day, _country.UtcOffset, _activityFrom, _activityFrom + 12);
            if (at < _abuseStart)
            {
                continue;
            }

            Principal who = Random.Chance(0.85) ? Random.Pick(_clients) : Random.Pick(_operators);
            Access(at, who, RunningAt(at)?.Id, Random.Chance(0.75) ? "ssh" : "api");
        }
    }

    private void QuietDay(DayWindow day)
    {
        if (!Random.Chance(0.6))
        {
            return;
        }

        DateTimeOffset start = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 10, 17);
        Principal owner = _operators[0];
        SimInstance probe = NewInstance(
            Cheapest(), _region, start, EndWithinPeriod(start.AddHours(Random.Between(1.0, 4.0))), owner, reason: "user_request");
        Launch(probe);
        Access(start.AddMinutes(Random.Between(3, 20)), owner, probe.Id, "ssh");
    }

    private void LaunchFleet()
    {
        int count = Random.Between(4, 16);
        double seconds = (PeriodEnd - _abuseStart).TotalSeconds;
        double budget = Random.Between(5e21, 1.5e22);
        IReadOnlyList<SimInstanceType> candidates = Candidates(_provider);
        DateTimeOffset at = _abuseStart;
        for (int i = 0; i < count; i++)
        {
            double allowance = budget / (count - i);
            var fitting = new List<SimInstanceType>(candidates.Count);
            foreach (SimInstanceType candidate in candidates)
            {
                if (FlopPerSecond(candidate) * seconds <= allowance)
                {
                    fitting.Add(candidate);
                }
            }

            SimInstanceType type = fitting.Count > 0 ? Random.Pick(fitting) : candidates[0];
            budget -= FlopPerSecond(type) * seconds;
            LaunchResold(type, at);
            at = at.AddSeconds(Random.Between(60, 900));
        }
    }

    private void RotateInstance(DayWindow day)
    {
        DateTimeOffset at = LocalClock.RandomIn(Random, day);
        if (RunningAt(at, openEnded: true) is { } old)
        {
            Terminate(old, at, "user_request");
            LaunchResold(old.Type, at.AddSeconds(Random.Between(60, 600)));
        }
    }

    private void LaunchResold(SimInstanceType type, DateTimeOffset at)
    {
        Principal client = Random.Pick(_clients);
        Principal caller = Random.Chance(0.5) ? Random.Pick(_operators) : client;
        string? payer = Random.Chance(0.3) ? AccountIds.Format(Random.Below(AccountIds.Space)) : null;
        Launch(NewInstance(type, _region, at, null, caller, sshKey: client.SshKeyFingerprint, payerAccountId: payer));
    }

    private SimInstanceType Cheapest() => Candidates(_provider)[0];

    /// <summary>A100/H100-class types of a cloud, smallest first.</summary>
    private static IReadOnlyList<SimInstanceType> Candidates(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => [SimInstanceTypes.P4d, SimInstanceTypes.P5],
        CloudProvider.Gcp =>
        [
            SimInstanceTypes.A2High1, SimInstanceTypes.A2High2, SimInstanceTypes.A2High4, SimInstanceTypes.A2High8,
            SimInstanceTypes.A3High8,
        ],
        _ => [SimInstanceTypes.NdA100V4, SimInstanceTypes.NdH100V5],
    };
}

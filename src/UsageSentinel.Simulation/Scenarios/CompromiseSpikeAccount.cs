using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>
/// A small steady account (one or two GPUs for weeks) whose credentials are stolen: a new principal from a new country
/// and network launches 50-100 eight-GPU instances in a region the account never used, for one to three days.
/// </summary>
internal sealed class CompromiseSpikeAccount : AccountSimulation
{
    private readonly Country _country;
    private readonly CloudProvider _provider;
    private readonly string _region;
    private readonly SimInstanceType _smallType;
    private readonly int _smallCount;
    private readonly Principal _service;
    private readonly Principal _attacker;
    private readonly DateTimeOffset _abuseStart;
    private readonly DateTimeOffset _spikeEnd;
    private readonly int _abuseDay;

    public CompromiseSpikeAccount(AccountSeed seed)
        : base(seed)
    {
        _country = Random.Pick(Countries.Benign);
        _provider = Random.Chance(0.5) ? CloudProvider.Aws : CloudProvider.Gcp;
        _smallType = _provider == CloudProvider.Aws ? SimInstanceTypes.G6eXlarge : SimInstanceTypes.A2High1;
        _smallCount = Random.Between(1, 2);
        _region = Regions.Near(_provider, _country.Continent, Random);
        _service = NewPrincipal(Names.Role(Random, "inference"), Random.Pick(_country.Networks).NewOrigin(Random));
        Country attackerCountry = Random.Pick(Countries.Hijackers);
        while (attackerCountry == _country)
        {
            attackerCountry = Random.Pick(Countries.Hijackers);
        }

        Network attackerNetwork = Random.Chance(0.3)
            ? Random.Pick(Countries.AnonymizerExits)
            : Random.Pick(attackerCountry.Networks);
        string attackerId = Random.Chance(0.5) ? Names.Role(Random, "ci-deploy") : Names.Person(Random);
        _attacker = NewPrincipal(attackerId, attackerNetwork.NewOrigin(Random));
        _abuseStart = AtFraction(Random.Between(0.5, 0.75));
        _spikeEnd = _abuseStart.AddHours(Random.Between(24.0, 72.0));
        _abuseDay = DayIndexOf(_abuseStart);
        bool business = Random.Chance(0.7);
        Profile = new AccountProfile(
            CreatedDaysBefore(200, 2000),
            _country.Code,
            "verified",
            business ? "business" : "individual",
            business ? Names.CompanyDomain(Random, Names.TopLevelDomain(_country.Code)) : Names.PersonalDomain(Random));
        Payment = MonthlyPayment("card", _country);
        Label = AbusiveLabel(ScenarioNames.CompromiseSpike, _abuseStart, DetectorNames.UsageDeviation);
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        if (day.Index == 0)
        {
            for (int i = 0; i < _smallCount; i++)
            {
                Launch(NewInstance(_smallType, _region, day.Start.AddSeconds(Random.Between(900, 7200)), null, _service));
            }
        }

        if (day.Index == _abuseDay)
        {
            LaunchSpike();
        }

        int calls = Random.Between(2, 4);
        for (int i = 0; i < calls; i++)
        {
            DateTimeOffset at = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 8, 20);
            Access(at, _service, RunningAt(at)?.Id, "api");
        }

        DateTimeOffset from = _abuseStart > day.Start ? _abuseStart : day.Start;
        DateTimeOffset to = _spikeEnd < day.End ? _spikeEnd : day.End;
        if (to > from)
        {
            int logins = Random.Between(3, 10);
            for (int i = 0; i < logins; i++)
            {
                DateTimeOffset at = from.AddSeconds(Random.Below((int)(to - from).TotalSeconds));
                Access(at, _attacker, RunningAt(at)?.Id, "ssh");
            }
        }
    }

    private void LaunchSpike()
    {
        int count = Random.Between(50, 100);
        SimInstanceType type = Random.Chance(0.5) ? SimInstanceTypes.H100Node(_provider) : SimInstanceTypes.A100Node(_provider);
        string region = Regions.Elsewhere(_provider, _country.Continent, Random);
        string pricing = Random.Chance(0.3) ? PricingModels.Spot : PricingModels.OnDemand;
        DateTimeOffset at = _abuseStart;
        for (int i = 0; i < count; i++)
        {
            DateTimeOffset? end = EndWithinPeriod(_spikeEnd.AddSeconds(Random.Between(0, 1800)));
            Launch(NewInstance(type, region, at, end, _attacker, pricing, reason: "user_request"));
            at = at.AddSeconds(Random.Between(10, 90));
        }
    }
}

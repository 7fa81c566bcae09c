using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>A research group: a few bursty multi-node jobs a week in one placement group each, a handful of people at their desks.</summary>
internal sealed class ResearchLabAccount : AccountSimulation
{
    private static readonly string[] Protocols = ["ssh", "ssh", "ssh", "console", "api"];

    private readonly Country _country;
    private readonly string _region;
    private readonly SimInstanceType[] _types;
    private readonly Principal[] _people;
    private readonly double _jobChance;

    public ResearchLabAccount(AccountSeed seed)
        : base(seed)
    {
        _country = Random.Pick(Countries.Research);
        bool academic = Random.Chance(0.7);
        CloudProvider provider = AnyProvider(Random);
        _region = Regions.Near(provider, _country.Continent, Random);
        SimInstanceType a100 = SimInstanceTypes.A100Node(provider);
        SimInstanceType h100 = SimInstanceTypes.H100Node(provider);
        _types = Random.Below(3) switch { 0 => [a100], 1 => [h100], _ => [a100, h100] };
        List<Network> networks = academic && _country.Academic is { } campus ? [campus] : [Random.Pick(_country.Networks)];
        if (Random.Chance(0.4))
        {
            networks.Add(Random.Pick(_country.Networks));
        }

        _people = People(Random.Between(3, 10), networks);
        _jobChance = Random.Between(1.0, 3.0) / 5;
        Profile = new AccountProfile(
            CreatedDaysBefore(200, 3000),
            _country.Code,
            Random.Chance(0.85) ? "verified" : "pending",
            academic ? "academic" : "business",
            academic ? Names.AcademicDomain(Random, _country.Code) : Names.CompanyDomain(Random, Names.TopLevelDomain(_country.Code)));
        Payment = MonthlyPayment(academic ? "wire" : "card", _country);
        Label = BenignLabel(ScenarioNames.ResearchLab);
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        bool weekend = LocalClock.IsWeekend(day, _country.UtcOffset);
        if (Random.Chance(weekend ? 0.05 : _jobChance))
        {
            StartJob(day);
        }

        int sessions = weekend ? Random.Between(0, 1) : Random.Between(1, 4);
        for (int i = 0; i < sessions; i++)
        {
            DateTimeOffset at = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 8.5, 19.5);
            Access(at, Random.Pick(_people), RunningAt(at)?.Id, Random.Pick(Protocols));
        }
    }

    private void StartJob(DayWindow day)
    {
        DateTimeOffset start = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 9, 18);
        int nodes = Random.Skewed(2, 16);
        SimInstanceType type = Random.Pick(_types);
        double u = Random.NextDouble();
        TimeSpan length = TimeSpan.FromHours(2 + (46 * u * u));
        string pricing = type.GpuModel == "H100-SXM" && Random.Chance(0.2) ? PricingModels.CapacityBlock : PricingModels.OnDemand;
        string group = Names.PlacementGroup(type.Provider, Random);
        string zone = Regions.Zone(type.Provider, _region, Random);
        Principal owner = Random.Pick(_people);
        SimInstance? first = null;
        for (int i = 0; i < nodes; i++)
        {
            DateTimeOffset launch = start.AddSeconds(i * Random.Between(5, 40));
            DateTimeOffset? end = EndWithinPeriod(start + length + TimeSpan.FromSeconds(Random.Between(0, 600)));
            SimInstance node = NewInstance(
                type, _region, launch, end, owner, pricing, group, zone, reason: Random.Chance(0.9) ? "user_request" : "job_failed");
            Launch(node);
            first ??= node;
        }

        Access(start.AddMinutes(Random.Between(5, 30)), owner, first?.Id, "ssh");
    }
}

using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>A verified enterprise with a fixed reserved fleet running around the clock, staff logging in on working days.</summary>
internal sealed class EnterpriseReservedAccount : AccountSimulation
{
    private static readonly string[] Protocols = ["ssh", "console"];

    private readonly Country _country;
    private readonly string _region;
    private readonly SimInstanceType _type;
    private readonly Principal[] _staff;
    private readonly int _fleet;
    private readonly string? _placementGroup;

    public EnterpriseReservedAccount(AccountSeed seed)
        : base(seed)
    {
        _country = Random.Pick(Countries.Enterprise);
        CloudProvider provider = AnyProvider(Random);
        _type = Random.Chance(0.7) ? SimInstanceTypes.A100Node(provider) : SimInstanceTypes.H100Node(provider);
        _region = Regions.Near(provider, _country.Continent, Random);

        // Stay well below the training-scale tiers over the whole period (24x7 is normal here, scale is not).
        double limit = 8e22 / (FlopPerSecond(_type) * Seed.Duration.TotalSeconds);
        _fleet = Math.Clamp(Math.Min(Random.Skewed(4, 32), (int)limit), 1, 32);
        _placementGroup = Random.Chance(0.5) ? Names.PlacementGroup(provider, Random) : null;
        _staff = People(Random.Between(2, 5), [Random.Pick(_country.Networks)]);
        Profile = new AccountProfile(
            CreatedDaysBefore(365, 3000),
            _country.Code,
            "verified",
            Random.Chance(0.9) ? "business" : "government",
            Names.CompanyDomain(Random, Names.TopLevelDomain(_country.Code)))
        {
            Allowlisted = Random.Chance(0.3) ? false : null,
        };
        Payment = MonthlyPayment("wire", _country);
        Label = BenignLabel(ScenarioNames.EnterpriseReserved);
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        if (day.Index == 0)
        {
            DateTimeOffset start = day.Start.AddSeconds(Random.Between(900, 10_800));
            for (int i = 0; i < _fleet; i++)
            {
                Launch(NewInstance(
                    _type, _region, start.AddSeconds(i * Random.Between(5, 60)), null, _staff[0], PricingModels.Reserved, _placementGroup));
            }
        }

        if (LocalClock.IsWeekend(day, _country.UtcOffset))
        {
            return;
        }

        int sessions = Random.Between(1, 4);
        for (int i = 0; i < sessions; i++)
        {
            DateTimeOffset at = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 8.5, 18.5);
            Access(at, Random.Pick(_staff), RunningAt(at)?.Id, Random.Pick(Protocols));
        }
    }
}

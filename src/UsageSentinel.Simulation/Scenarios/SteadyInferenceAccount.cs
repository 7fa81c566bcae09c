using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>An inference fleet: an always-on base plus instances that scale up by day and down by night in the account's time zone.</summary>
internal sealed class SteadyInferenceAccount : AccountSimulation
{
    private readonly Country _country;
    private readonly string _region;
    private readonly SimInstanceType _type;
    private readonly Principal[] _services;
    private readonly int _base;
    private readonly int _diurnal;

    public SteadyInferenceAccount(AccountSeed seed)
        : base(seed)
    {
        _country = Random.Pick(Countries.Benign);
        _type = Random.PickWeighted([0.45, 0.4, 0.15]) switch
        {
            0 => SimInstanceTypes.A2High1,
            1 => SimInstanceTypes.G6eXlarge,
            _ => SimInstanceTypes.A3High8,
        };
        _region = Regions.Near(_type.Provider, _country.Continent, Random);
        int total = _type.GpuCount == 8 ? Random.Between(2, 5) : Math.Min(Random.Skewed(2, 20), Random.Skewed(2, 20));
        _base = Math.Max(1, (int)Math.Round(total * Random.Between(0.5, 0.75)));
        _diurnal = total - _base;
        Network network = Random.Pick(_country.Networks);
        _services = new Principal[Random.Between(1, 3)];
        for (int i = 0; i < _services.Length; i++)
        {
            _services[i] = NewPrincipal(Names.Role(Random, i == 0 ? "inference-deployer" : "inference-api"), network.NewOrigin(Random));
        }

        Profile = new AccountProfile(
            CreatedDaysBefore(90, 2000),
            _country.Code,
            Random.Chance(0.8) ? "verified" : "pending",
            "business",
            Names.CompanyDomain(Random, Names.TopLevelDomain(_country.Code)));
        Payment = MonthlyPayment(Random.Chance(0.8) ? "card" : "marketplace", _country);
        Label = BenignLabel(ScenarioNames.SteadyInference);
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        if (day.Index == 0)
        {
            for (int i = 0; i < _base; i++)
            {
                Launch(NewInstance(_type, _region, day.Start.AddSeconds(Random.Between(900, 3600)), null, _services[0]));
            }
        }

        bool weekend = LocalClock.IsWeekend(day, _country.UtcOffset);
        int scaled = weekend ? (_diurnal + 1) / 2 : _diurnal;
        if (scaled > 0)
        {
            DateTimeOffset up = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 7, 9);
            DateTimeOffset down = LocalClock.NextLocal(up, _country.UtcOffset, Random.Between(19.0, 22.5));
            for (int i = 0; i < scaled; i++)
            {
                DateTimeOffset? end = EndWithinPeriod(down.AddSeconds(i * Random.Between(5, 30)));
                Launch(NewInstance(_type, _region, up.AddSeconds(i * Random.Between(5, 30)), end, _services[0], reason: "autoscaling"));
            }
        }

        int calls = Random.Between(1, 4);
        for (int i = 0; i < calls; i++)
        {
            DateTimeOffset at = LocalClock.RandomIn(Random, day);
            Access(at, Random.Pick(_services), RunningAt(at)?.Id, "api");
        }
    }
}

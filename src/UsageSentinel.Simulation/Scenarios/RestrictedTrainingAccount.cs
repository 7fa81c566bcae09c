using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>
/// An unverified, not allowlisted account that ramps a co-located H100 cluster in one placement group to 2,000-4,000
/// GPUs over about a week and keeps it running: it crosses 1e23 and then 1e24 FLOP within a 30-day period.
/// </summary>
internal sealed class RestrictedTrainingAccount : AccountSimulation
{
    private static readonly Country[] Declared =
        [Countries.US, Countries.GB, Countries.DE, Countries.SG, Countries.AE, Countries.NL, Countries.CA, Countries.JP];

    private static readonly string[] Protocols = ["ssh", "ssh", "console", "api"];

    private readonly Country _country;
    private readonly string _region;
    private readonly string _zone;
    private readonly string _placementGroup;
    private readonly SimInstanceType _type;
    private readonly Principal[] _ops;
    private readonly Principal _orchestrator;
    private readonly string _pricing;
    private readonly int _target;
    private readonly int _rampDays;
    private readonly DateTimeOffset _abuseStart;
    private readonly int _rampStartDay;
    private int _launched;

    public RestrictedTrainingAccount(AccountSeed seed)
        : base(seed)
    {
        _country = Random.Pick(Declared);
        CloudProvider provider = AnyProvider(Random);
        _type = SimInstanceTypes.H100Cluster(provider);
        _region = Regions.Near(provider, _country.Continent, Random);
        _zone = Regions.Zone(provider, _region, Random);
        _placementGroup = Names.PlacementGroup(provider, Random);
        _pricing = Random.Chance(0.6) ? PricingModels.OnDemand : PricingModels.CapacityBlock;
        _target = Random.Between(250, 500);
        _rampDays = Random.Between(6, 8);
        _abuseStart = AtFraction(Random.Between(0.08, 0.15));
        _rampStartDay = DayIndexOf(_abuseStart);
        Network network = Random.Pick(_country.Networks);
        _ops = People(Random.Between(3, 6), [network]);
        _orchestrator = NewPrincipal(Names.Role(Random, "training-launcher"), network.NewOrigin(Random));
        Profile = new AccountProfile(
            CreatedDaysBefore(30, 400),
            _country.Code,
            Random.Chance(0.6) ? "pending" : "unverified",
            "business",
            Names.CompanyDomain(Random, Random.Chance(0.5) ? "ai" : "io"))
        {
            Allowlisted = Random.Chance(0.5) ? false : null,
        };
        Payment = MonthlyPayment(Random.Chance(0.5) ? "wire" : "card", _country);
        Label = AbusiveLabel(ScenarioNames.RestrictedTraining, _abuseStart, DetectorNames.TrainingScale);
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        if (day.Index < _rampStartDay)
        {
            if (Random.Chance(0.5))
            {
                TestRun(day);
            }
        }
        else if (day.Index < _rampStartDay + _rampDays)
        {
            Ramp(day);
        }
        else
        {
            ReplaceFailedNodes(day);
        }

        int sessions = Random.Between(5, 15);
        for (int i = 0; i < sessions; i++)
        {
            DateTimeOffset at = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 8, 22);
            Access(at, Random.Pick(_ops), RunningAt(at)?.Id, Random.Pick(Protocols));
        }
    }

    private void TestRun(DayWindow day)
    {
        DateTimeOffset start = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 9, 17);
        DateTimeOffset end = start.AddHours(Random.Between(1.0, 6.0));
        int nodes = Random.Between(2, 4);
        for (int i = 0; i < nodes; i++)
        {
            Launch(NewInstance(
                _type, _region, start.AddSeconds(i * 20), EndWithinPeriod(end), Random.Pick(_ops), _pricing, _placementGroup, _zone, "user_request"));
        }
    }

    private void Ramp(DayWindow day)
    {
        int step = day.Index - _rampStartDay;
        int cumulative = step == _rampDays - 1
            ? _target
            : (int)Math.Round(_target * Math.Pow((step + 1.0) / _rampDays, 1.3));
        DateTimeOffset at = step == 0 ? _abuseStart : LocalClock.RandomLocal(Random, day, _country.UtcOffset, 8, 20);
        for (; _launched < cumulative; _launched++)
        {
            Launch(NewInstance(_type, _region, at, null, _orchestrator, _pricing, _placementGroup, _zone));
            at = at.AddSeconds(Random.Between(3, 20));
        }
    }

    private void ReplaceFailedNodes(DayWindow day)
    {
        int failures = Math.Min(3, Random.Poisson(1.0));
        for (int i = 0; i < failures; i++)
        {
            DateTimeOffset at = LocalClock.RandomIn(Random, day);
            if (RunningAt(at, openEnded: true) is not { } failed)
            {
                continue;
            }

            Launch(NewInstance(_type, _region, at, null, _orchestrator, _pricing, _placementGroup, _zone));
            Terminate(failed, at.AddSeconds(Random.Between(300, 1800)), "hardware_failure");
        }
    }
}

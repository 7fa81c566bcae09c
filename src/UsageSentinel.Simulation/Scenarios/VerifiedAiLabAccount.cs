using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>
/// A verified, allowlisted AI lab running thousands of H100s in placement groups from the first day. It crosses the
/// training-scale tiers legitimately (reported at low severity only); everyone calls from its own country and network.
/// </summary>
internal sealed class VerifiedAiLabAccount : AccountSimulation
{
    private const int GroupSize = 64;
    private static readonly string[] Protocols = ["ssh", "ssh", "console", "api"];

    private readonly Country _country;
    private readonly string _region;
    private readonly SimInstanceType _type;
    private readonly Principal[] _people;
    private readonly Principal _orchestrator;
    private readonly int _nodes;
    private readonly string _pricing;

    public VerifiedAiLabAccount(AccountSeed seed)
        : base(seed)
    {
        _country = Random.Chance(0.7) ? Countries.US : Random.Pick(Countries.Enterprise);
        CloudProvider provider = AnyProvider(Random);
        _type = SimInstanceTypes.H100Cluster(provider);
        _region = Regions.Near(provider, _country.Continent, Random);
        _nodes = Random.Between(256, 512);
        _pricing = Random.Chance(0.5) ? PricingModels.Reserved : PricingModels.CapacityBlock;
        Network corporate = Random.Pick(_country.Networks);
        _people = People(Random.Between(20, 40), [corporate]);
        _orchestrator = NewPrincipal(Names.Role(Random, "cluster-orchestrator"), corporate.NewOrigin(Random));
        Profile = new AccountProfile(
            CreatedDaysBefore(500, 3000),
            _country.Code,
            "verified",
            "business",
            Names.CompanyDomain(Random, Names.TopLevelDomain(_country.Code)))
        {
            Allowlisted = true,
            BeneficialOwnerCountry = _country.Code,
        };
        Payment = MonthlyPayment(Random.Chance(0.8) ? "wire" : "marketplace", _country);
        Label = BenignLabel(ScenarioNames.VerifiedAiLab);
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        if (day.Index == 0)
        {
            LaunchCluster(day);
        }
        else
        {
            ReplaceFailedNodes(day);
        }

        int sessions = Random.Between(10, 30);
        for (int i = 0; i < sessions; i++)
        {
            DateTimeOffset at = LocalClock.RandomLocal(Random, day, _country.UtcOffset, 7, 23);
            Access(at, Random.Pick(_people), RunningAt(at)?.Id, Random.Pick(Protocols));
        }

        DateTimeOffset job = LocalClock.RandomIn(Random, day);
        Access(job, _orchestrator, RunningAt(job)?.Id, "api");
    }

    private void LaunchCluster(DayWindow day)
    {
        DateTimeOffset groupStart = day.Start.AddHours(1);
        for (int first = 0; first < _nodes; first += GroupSize)
        {
            string group = Names.PlacementGroup(_type.Provider, Random);
            string zone = Regions.Zone(_type.Provider, _region, Random);
            DateTimeOffset at = groupStart;
            for (int i = first; i < Math.Min(_nodes, first + GroupSize); i++)
            {
                at = at.AddSeconds(Random.Between(5, 30));
                Launch(NewInstance(_type, _region, at, null, _orchestrator, _pricing, group, zone));
            }

            groupStart = groupStart.AddMinutes(Random.Between(20, 90));
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

            // The replacement joins before the failed node leaves, as schedulers do.
            Launch(NewInstance(_type, _region, at, null, _orchestrator, _pricing, failed.PlacementGroup, failed.Zone));
            Terminate(failed, at.AddSeconds(Random.Between(300, 1800)), "hardware_failure");
        }
    }
}

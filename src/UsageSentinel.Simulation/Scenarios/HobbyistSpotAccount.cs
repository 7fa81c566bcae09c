using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Scenarios;

/// <summary>An individual with one or two spot GPUs for a few hours on some evenings and weekends.</summary>
internal sealed class HobbyistSpotAccount : AccountSimulation
{
    private readonly Country _country;
    private readonly string _region;
    private readonly SimInstanceType _type;
    private readonly Principal _owner;
    private readonly int _maxInstances;

    public HobbyistSpotAccount(AccountSeed seed)
        : base(seed)
    {
        _country = Random.Pick(Countries.Benign);
        _type = Random.Chance(0.5) ? SimInstanceTypes.A2High1 : SimInstanceTypes.G6eXlarge;
        _region = Regions.Near(_type.Provider, _country.Continent, Random);
        _maxInstances = Random.Between(1, 2);
        _owner = NewPrincipal(Names.Person(Random), Random.Pick(_country.Networks).NewOrigin(Random));
        Profile = new AccountProfile(
            CreatedDaysBefore(20, 1500),
            _country.Code,
            KycOf(Random, verified: 0.6, pending: 0.3),
            "individual",
            Names.PersonalDomain(Random));
        Payment = MonthlyPayment("card", _country);
        Label = BenignLabel(ScenarioNames.HobbyistSpot);
    }

    public override ScenarioLabel Label { get; }

    protected override AccountProfile Profile { get; }

    protected override PaymentPlan Payment { get; }

    protected override void PlanDay(DayWindow day)
    {
        bool weekend = LocalClock.IsWeekend(day, _country.UtcOffset);
        if (!Random.Chance(weekend ? 0.45 : 0.15))
        {
            return;
        }

        DateTimeOffset start = weekend
            ? LocalClock.RandomLocal(Random, day, _country.UtcOffset, 10, 21)
            : LocalClock.RandomLocal(Random, day, _country.UtcOffset, 18.5, 22.5);
        TimeSpan length = TimeSpan.FromHours(Random.Between(1.0, 5.0));
        int count = Random.Between(1, _maxInstances);
        SimInstance? first = null;
        for (int i = 0; i < count; i++)
        {
            bool interrupted = Random.Chance(0.1);
            TimeSpan ran = interrupted ? length * Random.Between(0.2, 0.8) : length;
            SimInstance instance = NewInstance(
                _type,
                _region,
                start.AddSeconds(i * Random.Between(10, 120)),
                EndWithinPeriod(start + ran),
                _owner,
                PricingModels.Spot,
                reason: interrupted ? "spot_interruption" : "user_request");
            Launch(instance);
            first ??= instance;
        }

        int logins = Random.Between(1, 3);
        for (int i = 0; i < logins; i++)
        {
            Access(start + (length * Random.Between(0.05, 0.9)), _owner, first?.Id, "ssh");
        }
    }
}

using UsageSentinel.Core.Events;
using UsageSentinel.Simulation.Tests.Support;

namespace UsageSentinel.Simulation.Tests.Scenarios;

[Collection(PopulationCollection.Name)]
public sealed class IntermediaryResaleAccountTests
{
    private static readonly string[] RestrictedCountries = ["CN", "HK", "MO", "RU", "IR", "BY", "KP"];
    private static readonly string[] TransitHubs = ["SG", "AE", "MY", "KZ", "TH"];

    private readonly DefaultPopulationFixture _population;

    public IntermediaryResaleAccountTests(DefaultPopulationFixture population) => _population = population;

    public static TheoryData<int> Accounts => new() { 0, 1 };

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Generate_IntermediaryResale_ManyPrincipalsAndSshKeys(int index)
    {
        IReadOnlyList<ParsedEvent> events = EventsOf(index);

        events.Where(e => e.Type == EventTypeNames.InstanceAccess).Select(e => e.Text("principal_id")).Distinct().Count()
            .ShouldBeGreaterThanOrEqualTo(10);
        events.Where(e => e.Type == EventTypeNames.InstanceLaunched).Select(e => e.Text("ssh_key_fingerprint")).Distinct().Count()
            .ShouldBeGreaterThanOrEqualTo(3);
    }

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Generate_IntermediaryResale_AccessFromRestrictedCountriesAndAnonymizers(int index)
    {
        var access = EventsOf(index).Where(e => e.Type == EventTypeNames.InstanceAccess).ToList();

        access.ShouldContain(e => RestrictedCountries.Contains(e.Text("source_country")));
        access.ShouldContain(e => e.Has("anonymizer") && e.Root.GetProperty("anonymizer").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Generate_IntermediaryResale_YoungTransitHubAccountPayingThroughThirdParties(int index)
    {
        ScenarioLabel label = _population.LabelsOf(ScenarioNames.IntermediaryResale)[index];
        IReadOnlyList<ParsedEvent> events = EventsOf(index);
        ParsedEvent profile = events.Single(e => e.Type == EventTypeNames.AccountUpserted);
        var payments = events.Where(e => e.Type == EventTypeNames.BillingPayment).ToList();

        TransitHubs.ShouldContain(profile.Text("declared_country"));
        DateTimeOffset created = profile.Root.GetProperty("created_at").GetDateTimeOffset();
        (_population.Simulator.Start - created).ShouldBeLessThan(TimeSpan.FromDays(7));
        label.AbuseStart!.Value.ShouldBeGreaterThan(_population.Simulator.Start);
        payments.ShouldNotBeEmpty();
        payments.ShouldAllBe(p => p.Root.GetProperty("third_party").GetBoolean());
        payments.Where(p => p.Has("payment_method"))
            .ShouldAllBe(p => p.Root.GetProperty("payment_method").GetProperty("kind").GetString() == "prepaid"
                || p.Root.GetProperty("payment_method").GetProperty("kind").GetString() == "crypto");
        events.ShouldContain(e => e.Type == EventTypeNames.InstanceLaunched && e.Has("payer_account_id"));
    }

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Generate_IntermediaryResale_StaysFarBelowTrainingScale(int index)
    {
        double flop = Compute.TrainingFlop(EventsOf(index), _population.Simulator.End);

        flop.ShouldBeInRange(1e21, 5e22);
    }

    [Theory]
    [MemberData(nameof(Accounts))]
    public void Generate_IntermediaryResale_RunsAroundTheClockAfterAbuseStarts(int index)
    {
        ScenarioLabel label = _population.LabelsOf(ScenarioNames.IntermediaryResale)[index];
        IReadOnlyList<ParsedEvent> events = EventsOf(index);
        var fleet = Compute.Instances(events, _population.Simulator.End).Where(i => i.Launch.At >= label.AbuseStart).ToList();

        fleet.Count.ShouldBeGreaterThanOrEqualTo(4);
        fleet.Count(i => i.End == _population.Simulator.End).ShouldBeGreaterThanOrEqualTo(3);
        fleet.ShouldAllBe(i => Compute.GpuCatalog.Instances[i.Launch.Text("instance_type")!].GpuModel != "L40S");
    }

    private IReadOnlyList<ParsedEvent> EventsOf(int index) =>
        _population.EventsOf(_population.LabelsOf(ScenarioNames.IntermediaryResale)[index].AccountId);
}

using UsageSentinel.Core.Events;
using UsageSentinel.Simulation.Tests.Support;

namespace UsageSentinel.Simulation.Tests.Scenarios;

[Collection(PopulationCollection.Name)]
public sealed class VerifiedAiLabAccountTests
{
    private readonly DefaultPopulationFixture _population;

    public VerifiedAiLabAccountTests(DefaultPopulationFixture population) => _population = population;

    [Fact]
    public void Generate_VerifiedLab_IsAllowlistedAndVerified()
    {
        ScenarioLabel label = _population.LabelsOf(ScenarioNames.VerifiedAiLab).ShouldHaveSingleItem();
        ParsedEvent profile = _population.EventsOf(label.AccountId).Single(e => e.Type == EventTypeNames.AccountUpserted);

        label.Abusive.ShouldBeFalse();
        profile.Root.GetProperty("allowlisted").GetBoolean().ShouldBeTrue();
        profile.Text("kyc_status").ShouldBe("verified");
    }

    [Fact]
    public void Generate_VerifiedLab_TrainsAtScaleFromItsOwnCountryOnly()
    {
        ScenarioLabel label = _population.LabelsOf(ScenarioNames.VerifiedAiLab).ShouldHaveSingleItem();
        IReadOnlyList<ParsedEvent> events = _population.EventsOf(label.AccountId);
        string country = events.Single(e => e.Type == EventTypeNames.AccountUpserted).Text("declared_country")!;
        var access = events.Where(e => e.Type == EventTypeNames.InstanceAccess).ToList();

        Compute.PeakConcurrentGpus(events, _population.Simulator.End).ShouldBeInRange(2_048, 4_096);
        Compute.TrainingFlop(events, _population.Simulator.End).ShouldBeGreaterThan(1e24);
        access.ShouldAllBe(e => e.Text("source_country") == country);
        access.Select(e => e.Root.GetProperty("source_asn").GetInt64()).Distinct().ShouldHaveSingleItem();
        access.Select(e => e.Text("principal_id")).Distinct().Count().ShouldBeGreaterThanOrEqualTo(10);
    }
}

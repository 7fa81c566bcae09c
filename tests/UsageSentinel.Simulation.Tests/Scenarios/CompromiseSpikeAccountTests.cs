using UsageSentinel.Core.Events;
using UsageSentinel.Simulation.Tests.Support;

namespace UsageSentinel.Simulation.Tests.Scenarios;

[Collection(PopulationCollection.Name)]
public sealed class CompromiseSpikeAccountTests
{
    private readonly DefaultPopulationFixture _population;

    public CompromiseSpikeAccountTests(DefaultPopulationFixture population) => _population = population;

    [Fact]
    public void Generate_CompromiseSpike_SmallSteadyUseBeforeTheSpike()
    {
        ScenarioLabel label = _population.LabelsOf(ScenarioNames.CompromiseSpike).ShouldHaveSingleItem();
        var before = _population.EventsOf(label.AccountId).Where(e => e.At < label.AbuseStart).ToList();

        label.AbuseStart!.Value.ShouldBeGreaterThan(_population.Simulator.Start.AddDays(14));
        Compute.PeakConcurrentGpus(before, label.AbuseStart.Value).ShouldBeInRange(1, 2);
    }

    [Fact]
    public void Generate_CompromiseSpike_ManyEightGpuInstancesInANewRegionFromANewCountry()
    {
        ScenarioLabel label = _population.LabelsOf(ScenarioNames.CompromiseSpike).ShouldHaveSingleItem();
        IReadOnlyList<ParsedEvent> events = _population.EventsOf(label.AccountId);
        var launches = events.Where(e => e.Type == EventTypeNames.InstanceLaunched).ToList();
        var before = launches.Where(e => e.At < label.AbuseStart).ToList();
        var spike = launches.Where(e => e.At >= label.AbuseStart).ToList();
        var oldCountries = events.Where(e => e.At < label.AbuseStart && e.Type == EventTypeNames.InstanceAccess).Select(e => e.Text("source_country")).ToHashSet();
        var spikeCallers = spike.Where(e => e.Has("caller")).Select(e => e.Root.GetProperty("caller")).ToList();

        spike.Count.ShouldBeInRange(50, 100);
        spike.ShouldAllBe(e => Compute.GpusOf(e) == 8);
        spike.Select(e => e.Text("region")).Distinct().ShouldHaveSingleItem().ShouldNotBeOneOf(before.Select(e => e.Text("region")).ToArray());
        spikeCallers.ShouldNotBeEmpty();
        spikeCallers.ShouldAllBe(c => !oldCountries.Contains(c.GetProperty("source_country").GetString()));
        Compute.Instances(events, _population.Simulator.End).Where(i => i.Launch.At >= label.AbuseStart)
            .ShouldAllBe(i => i.End - i.Launch.At <= TimeSpan.FromHours(73));
    }
}

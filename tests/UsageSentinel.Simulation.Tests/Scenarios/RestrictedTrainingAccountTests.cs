using UsageSentinel.Core.Events;
using UsageSentinel.Simulation.Tests.Support;

namespace UsageSentinel.Simulation.Tests.Scenarios;

[Collection(PopulationCollection.Name)]
public sealed class RestrictedTrainingAccountTests
{
    private readonly DefaultPopulationFixture _population;

    public RestrictedTrainingAccountTests(DefaultPopulationFixture population) => _population = population;

    [Fact]
    public void Generate_RestrictedTraining_PeaksAtTwoThousandGpusOrMore()
    {
        foreach (ScenarioLabel label in _population.LabelsOf(ScenarioNames.RestrictedTraining))
        {
            int peak = Compute.PeakConcurrentGpus(_population.EventsOf(label.AccountId), _population.Simulator.End);

            peak.ShouldBeInRange(2_000, 4_100);
        }
    }

    [Fact]
    public void Generate_RestrictedTraining_CrossesTenToTheTwentyFourFlopWithinThePeriod()
    {
        foreach (ScenarioLabel label in _population.LabelsOf(ScenarioNames.RestrictedTraining))
        {
            Compute.TrainingFlop(_population.EventsOf(label.AccountId), _population.Simulator.End).ShouldBeGreaterThan(1e24);
        }
    }

    [Fact]
    public void Generate_RestrictedTraining_ClusterIsCoLocatedInOnePlacementGroup()
    {
        foreach (ScenarioLabel label in _population.LabelsOf(ScenarioNames.RestrictedTraining))
        {
            var launches = _population.EventsOf(label.AccountId).Where(e => e.Type == EventTypeNames.InstanceLaunched && e.At >= label.AbuseStart).ToList();

            launches.Select(e => e.Text("region")).Distinct().ShouldHaveSingleItem();
            launches.Select(e => e.Text("placement_group")).Distinct().ShouldHaveSingleItem().ShouldNotBeNull();
            launches.Select(e => e.Text("instance_type")).Distinct().ShouldHaveSingleItem()
                .ShouldBeOneOf("p5.48xlarge", "a3-megagpu-8g", "Standard_ND96isr_H100_v5");
            launches.Min(e => e.At).ShouldBe(label.AbuseStart!.Value);
        }
    }

    [Fact]
    public void Generate_RestrictedTraining_ProfileIsUnverifiedAndNotAllowlisted()
    {
        foreach (ScenarioLabel label in _population.LabelsOf(ScenarioNames.RestrictedTraining))
        {
            ParsedEvent profile = _population.EventsOf(label.AccountId).Single(e => e.Type == EventTypeNames.AccountUpserted);

            profile.Text("kyc_status").ShouldBeOneOf("pending", "unverified");
            if (profile.Has("allowlisted"))
            {
                profile.Root.GetProperty("allowlisted").GetBoolean().ShouldBeFalse();
            }
        }
    }
}

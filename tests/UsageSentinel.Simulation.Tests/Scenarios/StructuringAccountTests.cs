using UsageSentinel.Core.Events;
using UsageSentinel.Simulation.Tests.Support;

namespace UsageSentinel.Simulation.Tests.Scenarios;

[Collection(PopulationCollection.Name)]
public sealed class StructuringAccountTests
{
    private readonly DefaultPopulationFixture _population;

    public StructuringAccountTests(DefaultPopulationFixture population) => _population = population;

    [Fact]
    public void Labels_StructuringGroup_ListEachOtherAsLinked()
    {
        IReadOnlyList<ScenarioLabel> group = _population.LabelsOf(ScenarioNames.Structuring);
        var ids = group.Select(l => l.AccountId).ToHashSet();

        group.Count.ShouldBeInRange(3, 4);
        foreach (ScenarioLabel label in group)
        {
            label.LinkedAccountIds.Length.ShouldBe(group.Count - 1);
            label.LinkedAccountIds.ShouldNotContain(label.AccountId);
            label.LinkedAccountIds.ShouldAllBe(id => ids.Contains(id));
        }
    }

    [Fact]
    public void Generate_StructuringGroup_SharesOnePaymentFingerprint()
    {
        var fingerprints = _population.LabelsOf(ScenarioNames.Structuring)
            .Select(label => _population.EventsOf(label.AccountId)
                .Where(e => e.Type == EventTypeNames.BillingPayment && e.Has("payment_method"))
                .Select(e => e.Root.GetProperty("payment_method").GetProperty("fingerprint").GetString())
                .Distinct()
                .ShouldHaveSingleItem())
            .ToList();

        fingerprints.Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public void Generate_StructuringGroup_SharesSshKeysAsnAndEmailDomain()
    {
        var accounts = _population.LabelsOf(ScenarioNames.Structuring).Select(l => _population.EventsOf(l.AccountId)).ToList();

        accounts.Select(e => e.Single(x => x.Type == EventTypeNames.AccountUpserted).Text("email_domain")).Distinct().ShouldHaveSingleItem();
        var keys = accounts.Select(e => e.Where(x => x.Type == EventTypeNames.InstanceLaunched).Select(x => x.Text("ssh_key_fingerprint")).ToHashSet()).ToList();
        keys.Skip(1).ShouldAllBe(k => k.Overlaps(keys[0]));
        var asns = accounts.Select(e => e.Where(x => x.Type == EventTypeNames.InstanceAccess)
            .GroupBy(x => x.Root.GetProperty("source_asn").GetInt64()).MaxBy(g => g.Count())!.Key).ToList();
        asns.Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public void Generate_StructuringGroup_EachBelowTheTierButTogetherAbove()
    {
        var flops = _population.LabelsOf(ScenarioNames.Structuring)
            .Select(l => Compute.TrainingFlop(_population.EventsOf(l.AccountId), _population.Simulator.End))
            .ToList();

        flops.ShouldAllBe(f => f > 1e22 && f < 1e23);
        flops.Sum().ShouldBeGreaterThan(1e23);
    }
}

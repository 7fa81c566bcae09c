namespace UsageSentinel.Simulation.Tests.Support;

/// <summary>The default population (seed 42, 200 benign accounts, 30 days), generated and parsed once per test class.</summary>
public sealed class DefaultPopulationFixture
{
    public DefaultPopulationFixture()
    {
        Options = new SimulationOptions();
        Simulator = new PopulationSimulator(Options);
        Events = Simulator.Generate().ToList();
        Parsed = Events.Select(ParsedEvent.Parse).ToList();
        ByAccount = Parsed.ToLookup(e => e.AccountId);
    }

    public SimulationOptions Options { get; }

    public PopulationSimulator Simulator { get; }

    public IReadOnlyList<SimulatedEvent> Events { get; }

    public IReadOnlyList<ParsedEvent> Parsed { get; }

    public ILookup<string, ParsedEvent> ByAccount { get; }

    public IReadOnlyList<ScenarioLabel> LabelsOf(string scenario) =>
        Simulator.Labels.Where(l => l.Scenario == scenario).ToList();

    public IReadOnlyList<ParsedEvent> EventsOf(string accountId) => ByAccount[accountId].ToList();
}

using UsageSentinel.Core.Events;
using UsageSentinel.Kafka.Contract;
using UsageSentinel.Simulation;

namespace UsageSentinel.Benchmarks;

/// <summary>The realistic input of every benchmark: one seeded week of 50 benign accounts plus the abusive scenarios.</summary>
internal static class SimulatedPopulation
{
    /// <summary>Generates the population's events, in event-time order, as UTF-8 JSON messages.</summary>
    /// <returns>About 7,700 events.</returns>
    public static SimulatedEvent[] Generate()
    {
        var simulator = new PopulationSimulator(new SimulationOptions { Seed = 1, Accounts = 50, Duration = TimeSpan.FromDays(7) });
        return [.. simulator.Generate()];
    }

    /// <summary>Parses every message with the production parser; the simulator only writes valid messages.</summary>
    /// <param name="events">The simulated events.</param>
    /// <returns>The Core events, in the same order.</returns>
    public static AccountEvent[] Parse(IReadOnlyList<SimulatedEvent> events)
    {
        var parsed = new AccountEvent[events.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            if (!ContractParser.TryParse(events[i].Utf8Json, out var @event, out var error))
            {
                throw new InvalidOperationException($"Simulated event {events[i].EventId} breaks the contract: {error.Message}");
            }

            parsed[i] = @event;
        }

        return parsed;
    }
}

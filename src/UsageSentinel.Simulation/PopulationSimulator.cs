using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Population;

namespace UsageSentinel.Simulation;

/// <summary>
/// A seeded, deterministic population of cloud GPU accounts and the contract events they cause: benign research
/// labs, inference fleets, reserved enterprises, hobbyists and verified AI labs, plus the abusive scenarios the options
/// ask for. The same options always give byte-identical events and the same labels.
/// </summary>
/// <example>
/// <code>
/// var simulator = new PopulationSimulator(new SimulationOptions { Seed = 7, Accounts = 50 });
/// using FileStream events = File.Create("events.ndjson");
/// EventFileWriter.WriteNdjson(events, simulator.Generate());
/// using FileStream labels = File.Create("labels.ndjson");
/// LabelWriter.Write(labels, simulator.Labels);
/// </code>
/// </example>
public sealed class PopulationSimulator
{
    internal const int MinAccountsPerPartition = 500;
    private static readonly TimeSpan SliceLength = TimeSpan.FromHours(1);

    private readonly SimulationOptions _options;

    /// <summary>Initializes a new instance of the <see cref="PopulationSimulator"/> class.</summary>
    /// <param name="options">The population; validated and copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PopulationSimulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Snapshot();
        List<AccountSimulation> accounts = AccountFactory.Create(_options);
        var labels = new ScenarioLabel[accounts.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = accounts[i].Label;
        }

        Labels = labels;
    }

    /// <summary>Gets the ground truth: one label per account, benign ones included, ordered by account id.</summary>
    public IReadOnlyList<ScenarioLabel> Labels { get; }

    /// <summary>Gets or sets how many workers generate at most; the output does not depend on it.</summary>
    internal int MaxPartitions { get; init; } = Environment.ProcessorCount;

    /// <summary>Gets the period start, in UTC and whole seconds.</summary>
    public DateTimeOffset Start => _options.Start;

    /// <summary>Gets the period end (exclusive): no event happens at or after it.</summary>
    public DateTimeOffset End => _options.Start + _options.Duration;

    /// <summary>
    /// Generates every event of the population in <see cref="SimulatedEvent.OccurredAt"/> order, ties broken by
    /// account id, then by the order the account scheduled them. Lazy: accounts plan a simulated day at a time and
    /// events are written an hour at a time, so memory holds about an hour of the population's events, not the period.
    /// Large populations are generated on several threads; the output does not depend on how many. Each enumeration
    /// starts over and yields the same events.
    /// </summary>
    /// <returns>The events.</returns>
    public IEnumerable<SimulatedEvent> Generate()
    {
        DateTimeOffset start = _options.Start;
        DateTimeOffset end = start + _options.Duration;
        List<AccountSimulation> accounts = AccountFactory.Create(_options);

        // Accounts are independent, so contiguous runs of them are advanced in parallel and their outputs joined in
        // account order: the result is the same as advancing them one after the other.
        int count = Math.Clamp(accounts.Count / MinAccountsPerPartition, 1, Math.Max(1, MaxPartitions));
        var partitions = new AccountPartition[count];
        for (int p = 0; p < count; p++)
        {
            partitions[p] = new AccountPartition(accounts, accounts.Count * p / count, accounts.Count * (p + 1) / count);
        }

        try
        {
            var buffer = new SliceBuffer(start);
            DateTimeOffset dayStart = start;
            for (int day = 0; dayStart < end; day++)
            {
                DateTimeOffset dayEnd = dayStart.AddDays(1) < end ? dayStart.AddDays(1) : end;
                var window = new DayWindow(day, dayStart, dayEnd);
                ForEach(partitions, p => p.Plan(window));

                // Drained an hour at a time: a short-lived buffer is cheaper for the collector than a whole day.
                for (DateTimeOffset sliceEnd = dayStart; sliceEnd < dayEnd;)
                {
                    sliceEnd = sliceEnd.Add(SliceLength) < dayEnd ? sliceEnd.Add(SliceLength) : dayEnd;
                    DateTimeOffset until = sliceEnd;
                    ForEach(partitions, p => p.Drain(until));
                    foreach (AccountPartition partition in partitions)
                    {
                        foreach (SimulatedEvent simulated in partition.Events)
                        {
                            buffer.Add(simulated);
                        }

                        partition.Events.Clear();
                    }

                    buffer.Sort();
                    for (int i = 0; i < buffer.Count; i++)
                    {
                        yield return buffer[i];
                    }

                    buffer.Clear();
                }

                dayStart = dayEnd;
            }
        }
        finally
        {
            foreach (AccountPartition partition in partitions)
            {
                partition.Dispose();
            }
        }
    }

    private static void ForEach(AccountPartition[] partitions, Action<AccountPartition> action)
    {
        if (partitions.Length == 1)
        {
            action(partitions[0]);
        }
        else
        {
            Parallel.ForEach(partitions, action);
        }
    }
}

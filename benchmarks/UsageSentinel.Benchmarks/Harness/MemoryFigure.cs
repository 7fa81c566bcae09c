using System.Globalization;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Benchmarks.Harness;

/// <summary>
/// <c>bytes_per_account</c>: the managed heap one <see cref="DetectionEngine{TToken}"/> holds per tracked account.
/// Every account gets the access and billing events of one simulated account (cloned under a new account id, with
/// fresh event ids and increasing event time over two days); the figure is the growth of the heap after a full
/// collection, from the empty engine to the engine tracking every account, divided by the accounts.
/// </summary>
internal static class MemoryFigure
{
    private const int EventsPerAccount = 6;

    public static void Run(HarnessScale scale, HarnessReport report)
    {
        var accounts = scale.MemoryAccounts;
        var output = new CountingOutput();
        var engine = new DetectionEngine<long>(new DetectionOptions { AllowedLateness = TimeSpan.Zero }, GpuCatalog.Default, output);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        Populate(engine, accounts, "memory");
        var after = GC.GetTotalMemory(forceFullCollection: true);
        HarnessReport.Progress($"memory: {engine.AccountCount:N0} accounts tracked, heap grew {(after - before) / (1 << 20):N0} MiB, {output.Anomalies:N0} anomalies");
        report.Print("bytes_per_account", (double)(after - before) / engine.AccountCount);
        GC.KeepAlive(engine);
    }

    /// <summary>Gives the engine <paramref name="accounts"/> accounts, each with the events of a simulated account.</summary>
    public static void Populate(DetectionEngine<long> engine, int accounts, string what)
    {
        var population = SimulatedPopulation.Parse(SimulatedPopulation.Generate());
        var templates = population
            .Where(e => e is InstanceAccessed or UsageBilled)
            .GroupBy(e => e.AccountId, StringComparer.Ordinal)
            .Select(g => g.Take(EventsPerAccount).ToArray())
            .Where(g => g.Length == EventsPerAccount)
            .ToArray();
        var start = population[^1].OccurredAt.UtcTicks;
        var spacing = TimeSpan.FromDays(2).Ticks / ((long)accounts * EventsPerAccount);
        HarnessReport.Progress($"{what}: {accounts:N0} accounts × {EventsPerAccount} events, from {templates.Length} simulated accounts");
        long serial = 0;
        for (var a = 0; a < accounts; a++)
        {
            var accountId = string.Create(CultureInfo.InvariantCulture, $"acct-mem-{a:D7}");
            foreach (var template in templates[a % templates.Length])
            {
                var at = new DateTimeOffset(start + (serial * spacing), TimeSpan.Zero);
                engine.Offer(template with { EventId = string.Create(CultureInfo.InvariantCulture, $"mem-{serial:D9}"), AccountId = accountId, OccurredAt = at }, serial);
                serial++;
            }
        }

        engine.Flush();
    }
}

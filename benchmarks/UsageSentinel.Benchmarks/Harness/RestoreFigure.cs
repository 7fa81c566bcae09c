using System.Diagnostics;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Benchmarks.Harness;

/// <summary>
/// <c>restore_accounts_per_s</c> and <c>restore_1m_accounts_s</c>: how fast one thread turns changelog records back
/// into a detection engine — decoding each account's versioned state and importing it, as a worker does for every
/// account of a partition it is assigned. The states are those of the memory figure's accounts, exported through the
/// engine's change tracking; the Kafka read itself is not included (sequential fetches of ~1.5 KB records).
/// </summary>
internal static class RestoreFigure
{
    public static void Run(HarnessScale scale, HarnessReport report)
    {
        var source = new DetectionEngine<long>(new DetectionOptions { AllowedLateness = TimeSpan.Zero }, GpuCatalog.Default, new CountingOutput());
        source.TrackChanges();
        MemoryFigure.Populate(source, scale.MemoryAccounts, "restore");
        var states = new List<byte[]>(source.ChangedAccounts);
        source.ExportChanges((_, bytes) => states.Add(bytes.ToArray()));
        var bytes = states.Sum(s => (long)s.Length);
        HarnessReport.Progress($"restore: {states.Count:N0} account states, {bytes / (double)states.Count:N0} bytes each on average");
        source = null;
        GC.Collect();

        var target = new DetectionEngine<long>(new DetectionOptions { AllowedLateness = TimeSpan.Zero }, GpuCatalog.Default, new CountingOutput());
        var clock = Stopwatch.StartNew();
        foreach (var state in states)
        {
            target.RestoreAccount(state);
        }

        clock.Stop();
        if (target.AccountCount != states.Count)
        {
            throw new InvalidOperationException($"Restored {target.AccountCount} accounts of {states.Count}.");
        }

        var perSecond = states.Count / clock.Elapsed.TotalSeconds;
        report.Print("restore_accounts_per_s", perSecond);
        report.Print("restore_1m_accounts_s", 1_000_000 / perSecond, 2);
    }
}

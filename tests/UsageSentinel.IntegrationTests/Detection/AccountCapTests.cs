using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Simulation;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.IntegrationTests.Detection;

/// <summary>A loop capped far below its population evicts cold accounts and reloads them: the same findings as uncapped.</summary>
public sealed class AccountCapTests
{
    [Fact]
    public void Detect_CapBelowPopulation_SameAnomaliesAsUncapped()
    {
        var events = new PopulationSimulator(new SimulationOptions { Seed = 21, Accounts = 400, Duration = TimeSpan.FromDays(14) })
            .Generate().Select(e => e.Utf8Json).ToList();

        var uncapped = Detect(events, maxAccounts: 0);
        var capped = Detect(events, maxAccounts: 60);

        uncapped.Counters.Evicted.ShouldBe(0);
        capped.Counters.Evicted.ShouldBeGreaterThan(0);
        capped.Counters.Reloaded.ShouldBeGreaterThan(0);
        uncapped.Anomalies.Count.ShouldBeGreaterThan(0);
        capped.Anomalies.Select(Describe).ShouldBe(uncapped.Anomalies.Select(Describe));
    }

    private static DetectionResult Detect(List<byte[]> events, int maxAccounts)
    {
        // The population model trains on the accounts a loop holds, so a cap changes its peers: compared without it.
        var options = new DetectionOptions { MaxTrackedAccounts = maxAccounts };
        options.PopulationOutlier.Enabled = false;
        return new ReplayRunner(options, GpuCatalog.Default).Detect(events);
    }

    private static string Describe(Core.Anomalies.AnomalyDetected a) =>
        $"{a.AnomalyId}|{a.EventTime:o}|{a.Score}|{a.Severity}|{a.Status}|{string.Join(",", a.RootCauses.Select(c => $"{c.Feature}={c.Actual}"))}";
}

using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Simulation;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.IntegrationTests.Detection;

/// <summary>
/// Sweeps pass over quiet accounts (<see cref="DetectionOptions.DeferQuietAccounts"/>) and carry their hours forward
/// later: the findings must be those of evaluating every account every hour, and no account-hour may be lost or added.
/// </summary>
public sealed class QuietAccountTests
{
    [Theory]
    [InlineData(21, 300, 14)]
    [InlineData(42, 150, 30)]
    public void Detect_QuietAccountsPassedOver_SameAnomaliesAsEvaluatingEveryHour(int seed, int accounts, int days)
    {
        var events = new PopulationSimulator(new SimulationOptions { Seed = seed, Accounts = accounts, Duration = TimeSpan.FromDays(days) })
            .Generate().Select(e => e.Utf8Json).ToList();

        var everyHour = Detect(events, defer: false);
        var deferred = Detect(events, defer: true);

        everyHour.Counters.PassedOver.ShouldBe(0);
        deferred.Counters.PassedOver.ShouldBeGreaterThan(deferred.Counters.SweepVisits / 2, "most account-hours of a steady population are quiet");
        (deferred.Counters.SweepVisits + deferred.Counters.PassedOver).ShouldBe(everyHour.Counters.SweepVisits, "every account-hour, evaluated or carried forward, once");
        everyHour.Anomalies.Count.ShouldBeGreaterThan(0);
        deferred.Anomalies.Select(Describe).ShouldBe(everyHour.Anomalies.Select(Describe));
    }

    private static DetectionResult Detect(List<byte[]> events, bool defer) =>
        new ReplayRunner(new DetectionOptions { DeferQuietAccounts = defer }, GpuCatalog.Default).Detect(events);

    private static string Describe(Core.Anomalies.AnomalyDetected a) =>
        $"{a.AnomalyId}|{a.Detector}|{a.EventTime:o}|{a.Score}|{a.Severity}|{a.Status}|{a.Summary}|{string.Join(",", a.RootCauses.Select(c => $"{c.Feature}={c.Actual}/{c.Contribution}"))}";
}

using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Simulation;
using UsageSentinel.Simulation.Evaluation;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.IntegrationTests.Detection;

/// <summary>
/// The whole detection stack (replay engine, every detector, the population model) over seeded simulated
/// populations: the right detector for every abusive scenario, no benign account alerted, one score scale.
/// </summary>
public sealed class SimulatedPopulationTests : IClassFixture<SimulatedPopulationTests.Runs>
{
    private readonly Runs _runs;

    public SimulatedPopulationTests(Runs runs) => _runs = runs;

    public static TheoryData<int> Seeds => [7, 8];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Detect_EveryAbusiveScenario_FoundByAnExpectedDetector(int seed)
    {
        var report = _runs[seed].Report;

        var abusive = report.Scenarios.Where(s => s.Abusive).ToList();
        abusive.Count.ShouldBeGreaterThanOrEqualTo(4);
        abusive.ShouldAllBe(s => s.Recall == 1.0, string.Join("; ", abusive.Select(s => $"{s.Scenario} {s.Detected}/{s.Accounts}")));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Detect_BenignProfiles_NotAlerted(int seed)
    {
        var report = _runs[seed].Report;

        report.Scenarios.Where(s => !s.Abusive).ShouldAllBe(s => s.Flagged == 0, string.Join("; ", report.Scenarios.Select(s => $"{s.Scenario} {s.Flagged}")));
        report.Detectors.Sum(d => d.FalseAlerts).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Detect_EveryDetector_ScoreLiesInTheBandOfItsSeverity(int seed)
    {
        var anomalies = _runs[seed].Anomalies.Where(a => a.Status != AnomalyStatus.Resolved).ToList();

        anomalies.Select(a => a.Detector).Distinct().Count().ShouldBeGreaterThanOrEqualTo(4, "the property must cover several detectors");
        anomalies.ShouldAllBe(a => ScoreBands.SeverityOf(a.Score) == a.Severity && a.Score >= 0 && a.Score <= 100);
    }

    [Fact]
    public void Detect_PopulationModel_TrainedAndScoredTheOutliers()
    {
        var outliers = _runs[7].Anomalies.Concat(_runs[8].Anomalies).Where(a => a.Detector == DetectorNames.PopulationOutlier).ToList();

        outliers.ShouldNotBeEmpty();
        outliers.ShouldAllBe(a => a.RootCauses.Count >= 2 && a.RootCauses[0].Contribution > 0);
    }

    /// <summary>Simulates and detects each seed once for all tests.</summary>
    public sealed class Runs
    {
        private readonly Dictionary<int, (EvaluationReport Report, IReadOnlyList<AnomalyDetected> Anomalies)> _bySeed = [];

        public Runs()
        {
            foreach (var seed in new[] { 7, 8 })
            {
                var options = new SimulationOptions { Seed = seed, Accounts = 600, Duration = TimeSpan.FromDays(21) };
                var simulator = new PopulationSimulator(options);
                var detected = new ReplayRunner(new DetectionOptions(), GpuCatalog.Default).Detect(simulator.Generate().Select(e => e.Utf8Json));
                var report = DetectionEvaluator.Evaluate(simulator.Labels, detected.Anomalies.Select(EvaluatedAnomaly.From), options.Duration.TotalDays);
                _bySeed[seed] = (report, detected.Anomalies);
            }
        }

        public (EvaluationReport Report, IReadOnlyList<AnomalyDetected> Anomalies) this[int seed] => _bySeed[seed];
    }
}

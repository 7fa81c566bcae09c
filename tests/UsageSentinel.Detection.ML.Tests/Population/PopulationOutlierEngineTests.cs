using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.Detection.ML.Population;
using UsageSentinel.TestKit;

namespace UsageSentinel.Detection.ML.Tests.Population;

/// <summary><c>population_outlier</c> through the engine: snapshots, training, hot swap, explanation.</summary>
public sealed class PopulationOutlierEngineTests
{
    private const int Normals = 400;
    private const string Outlier = "acct-outlier";
    private static readonly DateTimeOffset T0 = Some.Epoch;
    private readonly DetectionOptions _options = new();
    private readonly RecordingOutput<int> _output = new();

    public PopulationOutlierEngineTests()
    {
        _options.PopulationOutlier.MinimumAccounts = 100;
        _options.PopulationOutlier.TailProbability = 0.01;
    }

    [Fact]
    public void Evaluate_AfterFirstRetraining_FlagsOnlyTheOutlierAndExplainsIt()
    {
        var engine = CreateSut(new InlinePopulationTraining(new RandomizedPcaPopulationTrainer()));

        Feed(engine, Days(0, 3));
        engine.Flush();

        var found = PopulationAnomalies();
        found.ShouldNotBeEmpty();
        found.Select(a => a.AccountId).Distinct().ShouldBe([Outlier]);
        var first = found[0];
        first.Status.ShouldBe(AnomalyStatus.Open);
        first.EventTime.ShouldBe(T0.AddDays(1), "scored on the first day's snapshot, at its event time");
        first.DedupKey.ShouldBe("population_outlier|acct-outlier");
        first.Severity.ShouldBe(Severity.Medium, "restricted destinations in its access corroborate the outlier");
        ScoreBands.SeverityOf(first.Score).ShouldBe(first.Severity);
        var top = first.RootCauses[0];
        top.Feature.ShouldBeOneOf("log_distinct_principals", "log_distinct_source_countries", "log_distinct_source_asns", "restricted_access_share", "anonymizer_share");
        top.Actual.ShouldBeGreaterThan(top.TypicalOrThreshold);
        top.Contribution.ShouldBeGreaterThan(0);
        first.RootCauses.ShouldContain(c => c.Feature == "population_tail_probability" && c.Actual <= 0.01);
        first.Summary.ShouldContain("peer accounts");
    }

    [Fact]
    public void Evaluate_BeforeAnyModel_RaisesNothing()
    {
        var engine = CreateSut(new InlinePopulationTraining(new RandomizedPcaPopulationTrainer()));

        Feed(engine, Days(0, 1).Where(e => e.OccurredAt < T0.AddHours(23)));
        engine.Flush();

        engine.PopulationModelVersion.ShouldBe(0);
        PopulationAnomalies().ShouldBeEmpty();
    }

    [Fact]
    public void Offer_SameInputTwice_SameAnomaliesInSameOrder()
    {
        List<string> Run()
        {
            var output = new RecordingOutput<int>();
            var engine = new DetectionEngine<int>(_options, GpuCatalog.Default, output, population: new InlinePopulationTraining(new RandomizedPcaPopulationTrainer()));
            Feed(engine, Days(0, 3));
            engine.Flush();
            return [.. output.Anomalies.Select(a => $"{a.Anomaly.AnomalyId}|{a.Anomaly.Score}|{a.Token}")];
        }

        var first = Run();

        first.ShouldNotBeEmpty();
        Run().ShouldBe(first);
    }

    [Fact]
    public async Task Offer_ModelTrainedInBackgroundWhileEventsFlow_SwapsInWithoutLosingEvents()
    {
        await using var training = new BackgroundPopulationTraining(new RandomizedPcaPopulationTrainer(), loops: 1);
        var engine = CreateSut(training);
        var offered = 0;

        // Days 0-3 flow without waiting for any training: the model arrives whenever the thread pool finishes it.
        offered += Feed(engine, Days(0, 4));
        await training.Running;
        offered += Feed(engine, Days(4, 5));
        engine.Flush();

        _output.Done.Count.ShouldBe(offered);
        _output.Done.ShouldAllBe(d => d.Outcome == EventOutcome.Processed);
        training.Models.Version.ShouldBeGreaterThanOrEqualTo(1);
        engine.PopulationModelVersion.ShouldBe(training.Models.Version);
        PopulationAnomalies().Select(a => a.AccountId).Distinct().ShouldBe([Outlier]);
    }

    [Fact]
    public void Snapshot_Disabled_NeverTrains()
    {
        _options.PopulationOutlier.Enabled = false;
        var training = new InlinePopulationTraining(new RandomizedPcaPopulationTrainer());
        var engine = CreateSut(training);

        Feed(engine, Days(0, 3));
        engine.Flush();

        training.Models.Version.ShouldBe(0);
        PopulationAnomalies().ShouldBeEmpty();
    }

    private DetectionEngine<int> CreateSut(Core.Ports.IPopulationTraining training) =>
        new(_options, GpuCatalog.Default, _output, population: training);

    private List<AnomalyDetected> PopulationAnomalies() =>
        [.. _output.Anomalies.Select(a => a.Anomaly).Where(a => a.Detector == DetectorNames.PopulationOutlier)];

    private int Feed(DetectionEngine<int> engine, IEnumerable<AccountEvent> events)
    {
        var n = 0;
        foreach (var e in events)
        {
            engine.Offer(e, _output.Done.Count + n++);
        }

        return n;
    }

    /// <summary>
    /// Hours [from, to) days of a population: normal accounts run one or two 8-GPU nodes reached by one to three
    /// principals from one US network; the outlier is reached by dozens of principals from many countries and networks.
    /// </summary>
    private static IEnumerable<AccountEvent> Days(int fromDay, int toDay)
    {
        var random = new Random(20260301);
        var principals = new int[Normals];
        var nodes = new int[Normals];
        for (var a = 0; a < Normals; a++)
        {
            principals[a] = 1 + random.Next(3);
            nodes[a] = 1 + random.Next(2);
        }

        string[] countries = ["CN", "HK", "RU", "SG", "AE", "KZ"];
        var events = new List<AccountEvent>();
        if (fromDay == 0)
        {
            for (var a = 0; a < Normals; a++)
            {
                var id = $"acct-{a:D4}";
                events.Add(A.Profile(id, T0, "US", "business", "verified", createdAt: T0.AddDays(-200 - a)));
                for (var n = 0; n < nodes[a]; n++)
                {
                    events.Add(A.Launch(id, $"{id}-i{n}", T0.AddMinutes(1 + n)));
                }
            }

            events.Add(A.Profile(Outlier, T0, "US", "business", "verified", createdAt: T0.AddDays(-300)));
            events.Add(A.Launch(Outlier, "outlier-i0", T0.AddMinutes(2)));
        }

        for (var h = fromDay * 24; h < toDay * 24; h++)
        {
            var hour = T0.AddHours(h);
            for (var a = 0; a < Normals; a++)
            {
                events.Add(A.Access($"acct-{a:D4}", hour.AddMinutes(10 + (a % 40)), $"p{h % principals[a]}", "US", 7922));
            }

            events.Add(A.Access(Outlier, hour.AddMinutes(30), $"user-{h % 60}", countries[h % countries.Length], 4000 + (h % 11), anonymizer: h % 4 == 0));
        }

        return events.OrderBy(e => e.OccurredAt);
    }
}

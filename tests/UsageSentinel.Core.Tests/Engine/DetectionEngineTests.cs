using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.Core.Linking;
using UsageSentinel.TestKit;

namespace UsageSentinel.Core.Tests.Engine;

public class DetectionEngineTests
{
    private const double H100Peak = 989.4e12;
    private const double A100Peak = 312e12;
    private readonly DetectionOptions _options = new();
    private readonly RecordingOutput<int> _output = new();
    private readonly DateTimeOffset _t0 = Some.Epoch;

    private DetectionEngine<int> CreateSut() => new(_options, GpuCatalog.Default, _output);

    private static void Run(DetectionEngine<int> engine, IEnumerable<AccountEvent> events, bool flush = true)
    {
        var token = 0;
        foreach (var e in events)
        {
            engine.Offer(e, token++);
        }

        if (flush)
        {
            engine.Flush();
        }
    }

    [Fact]
    public void Offer_AccountEvictedWhileItsEventWaits_AppliesTheEventToTheReloadedAccount()
    {
        // The waiting event looked its account up when offered; the account then goes to the state store (cap of 5)
        // before the event's turn. The event must land on the account as reloaded, not on the evicted copy.
        _options.MaxTrackedAccounts = 5;
        var sut = CreateSut();
        Run(sut, [A.Access("a", _t0), A.Access("x", _t0.AddHours(2))], flush: false);
        sut.Inspect("a").ShouldNotBeNull("processed once the watermark passed it");

        var newcomers = Enumerable.Range(0, 10).Select(i => (AccountEvent)A.Access($"b-{i}", _t0.AddHours(2).AddSeconds(30)));
        Run(sut, [A.Profile("a", _t0.AddHours(2).AddMinutes(1), allowlisted: true), .. newcomers, A.Access("x", _t0.AddHours(4))], flush: false);
        sut.Counters.Evicted.ShouldBeGreaterThan(0);
        sut.Counters.Reloaded.ShouldBeGreaterThan(0, "the waiting profile event brought the account back");

        sut.Inspect("a")!.Allowlisted.ShouldBeTrue();
    }

    [Theory]
    [InlineData("198.51.100.200", true)]
    [InlineData("198.51.101.7", false)]
    [InlineData("2001:db8:abcd:1::5", false)]
    public void Offer_LaunchesFromOneSourceNetwork_LinkTheAccounts(string otherAddress, bool linked)
    {
        _options.Linking.Kinds = [LinkKind.SourceNetwork];
        var links = LinkGraph.For(_options);
        var sut = new DetectionEngine<int>(_options, GpuCatalog.Default, _output, links);

        Run(sut, [
            A.Launch("a", "i-1", _t0) with { Caller = new CallerContext("p", "198.51.100.7", "US", null, null) },
            A.Launch("b", "i-2", _t0.AddMinutes(1)) with { Caller = new CallerContext("q", otherAddress, "US", null, null) },
            A.Launch("c", "i-3", _t0.AddMinutes(2)) with { Caller = new CallerContext("r", "2001:db8:abcd:2::9", "US", null, null) },
        ]);

        links.GroupOf("a").Contains("b").ShouldBe(linked);
        links.GroupOf("c").Contains("b").ShouldBe(otherAddress.StartsWith("2001:db8:abcd:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Sweep_SteadyRunPassedOverWhileQuiet_CrossesItsTierAtTheSameHourAsEvaluatedHourly(int instances)
    {
        // 8 H100 per instance at 35 %: 2.77e15 FLOP/s each, so the 1e20 tier comes after about 10 h / instances, with no
        // event in between; projections are out of reach (one-hour horizon), so only the crossing bound wakes the account.
        var events = (IEnumerable<AccountEvent>)[
            .. Enumerable.Range(0, instances).Select(i => (AccountEvent)A.Launch("a", $"i-{i}", _t0.AddMinutes(10 + i))),
            A.Access("a", _t0.AddDays(2)),
        ];

        var (everyHour, everyHourCounters) = Detect(events, defer: false);
        var (deferred, deferredCounters) = Detect(events, defer: true);

        everyHour.ShouldContain(a => a.Detector == DetectorNames.TrainingScale && a.Status == AnomalyStatus.Open);
        deferredCounters.PassedOver.ShouldBeGreaterThan(0);
        (deferredCounters.SweepVisits + deferredCounters.PassedOver).ShouldBe(everyHourCounters.SweepVisits);
        deferred.Select(a => $"{a.AnomalyId}|{a.EventTime:o}|{a.Summary}").ShouldBe(everyHour.Select(a => $"{a.AnomalyId}|{a.EventTime:o}|{a.Summary}"));

        (List<AnomalyDetected>, EngineCounters) Detect(IEnumerable<AccountEvent> input, bool defer)
        {
            var options = new DetectionOptions { DeferQuietAccounts = defer };
            options.TrainingScale.TiersFlop = [1e20, 1e22, 1e24, 1e26];
            options.TrainingScale.ProjectionHorizon = TimeSpan.FromHours(1);
            var output = new RecordingOutput<int>();
            var engine = new DetectionEngine<int>(options, GpuCatalog.Default, output);
            Run(engine, input);
            return ([.. output.Anomalies.Select(a => a.Anomaly)], engine.Counters);
        }
    }

    [Fact]
    public void Inspect_OneInstanceTenHours_AccountsHandComputedFlop()
    {
        var sut = CreateSut();
        Run(sut, [A.Launch("a", "i-1", _t0), A.Terminate("a", "i-1", _t0.AddHours(10))]);

        var summary = sut.Inspect("a")!;
        summary.GpuHours.ShouldBe(80, 1e-9);                           // 8 GPUs x 10 h
        summary.EstimatedFlop.ShouldBe(80 * 3600 * H100Peak * 0.35, 1e9); // 9.97e19
        summary.EstimatedFlop.ShouldBe(9.97315e19, 1e15);
        summary.RunningGpus.ShouldBe(0);
        summary.PeakGpus.ShouldBe(8);
    }

    [Fact]
    public void Inspect_RunningInstance_AccruesUntilNewestEventTime()
    {
        var sut = CreateSut();
        Run(sut, [A.Launch("a", "i-1", _t0, "a2-highgpu-1g"), A.Access("a", _t0.AddHours(5)), A.Access("b", _t0.AddHours(7))]);

        var summary = sut.Inspect("a")!;
        summary.GpuHours.ShouldBe(7, 1e-9);
        summary.EstimatedFlop.ShouldBe(7 * 3600 * A100Peak * 0.35, 1e6);
        summary.RunningGpus.ShouldBe(1);
    }

    [Fact]
    public void Offer_TerminationBeforeLaunchBeyondLateness_StillAccountsTheInterval()
    {
        _options.AllowedLateness = TimeSpan.Zero;
        var sut = CreateSut();
        Run(sut, [A.Terminate("a", "i-1", _t0.AddHours(3)), A.Launch("a", "i-1", _t0.AddHours(1), "a2-highgpu-8g")]);

        sut.Counters.TerminationsWithoutLaunch.ShouldBe(1);
        sut.Counters.Late.ShouldBe(1);
        sut.Inspect("a")!.GpuHours.ShouldBe(16, 1e-9);
        sut.Inspect("a")!.RunningGpus.ShouldBe(0);
    }

    [Fact]
    public void Offer_OutOfOrderWithinLateness_ProcessesInEventTimeOrder()
    {
        var sut = CreateSut();
        var late = A.Launch("a", "i-1", _t0, "a2-highgpu-1g");
        var early = A.Terminate("a", "i-1", _t0.AddMinutes(30));
        sut.Offer(early, 1);
        sut.Offer(late, 2);
        sut.Offer(A.Access("x", _t0.AddHours(2)), 3);

        _output.Done.Select(d => d.Token).ShouldBe([2, 1]);
        _output.Done.ShouldAllBe(d => d.Outcome == EventOutcome.Processed);
        sut.Counters.TerminationsWithoutLaunch.ShouldBe(0);
        sut.Inspect("a")!.GpuHours.ShouldBe(0.5, 1e-9);
    }

    [Fact]
    public void Offer_LateBeyondLateness_CountsAndCorrectsAccounting()
    {
        _options.AllowedLateness = TimeSpan.FromMinutes(10);
        var sut = CreateSut();
        Run(sut, [A.Launch("a", "i-1", _t0, "a2-highgpu-1g"), A.Access("a", _t0.AddHours(10)), A.Access("a", _t0.AddHours(11)), A.Terminate("a", "i-1", _t0.AddHours(4))]);

        sut.Counters.Late.ShouldBe(1);
        _output.Done.Count(d => d.Outcome == EventOutcome.Late).ShouldBe(1);
        sut.Inspect("a")!.GpuHours.ShouldBe(4, 1e-9);
    }

    [Fact]
    public void Offer_DuplicateEventId_ChangesNothing()
    {
        var sut = CreateSut();
        var launch = A.Launch("a", "i-1", _t0, "a2-highgpu-1g");
        Run(sut, [launch, launch with { }, A.Terminate("a", "i-1", _t0.AddHours(2))]);

        sut.Counters.Duplicates.ShouldBe(1);
        _output.Done.Count(d => d.Outcome == EventOutcome.Duplicate).ShouldBe(1);
        sut.Inspect("a")!.GpuHours.ShouldBe(2, 1e-9);
    }

    [Fact]
    public void Offer_IdGivenOrChangedByWith_CheckedByTheNewId()
    {
        var sut = CreateSut();
        var first = A.Access("a", _t0);
        var renamed = first with { EventId = "another-id" };
        var sameIdAsFirst = A.Access("b", _t0.AddMinutes(1)) with { EventId = first.EventId };

        sut.PrefetchAhead([first, renamed, sameIdAsFirst, first, first, first, first, first, first, first, first, first, first, first, first, first, first, first], 0);
        Run(sut, [first, renamed, sameIdAsFirst]);

        renamed.EventIdHash.ShouldNotBe(first.EventIdHash);
        sameIdAsFirst.EventIdHash.ShouldBe(first.EventIdHash);
        sut.Counters.Duplicates.ShouldBe(1);
        _output.Done.Count(d => d.Outcome == EventOutcome.Duplicate).ShouldBe(1);
    }

    [Fact]
    public void Offer_AccountChangedByWith_CountsForTheNewAccount()
    {
        var sut = CreateSut();
        var launched = A.Launch("a", "i-1", _t0);
        var moved = launched with { AccountId = "b" };

        sut.PrefetchAhead([launched, moved, moved, moved, moved, moved, moved, moved, moved, moved, moved, moved, moved, moved, moved, moved, moved, moved], 0);
        Run(sut, [moved, A.Terminate("b", "i-1", _t0.AddHours(2))]);

        moved.AccountIdHash.ShouldBe(A.Access("b", _t0).AccountIdHash);
        moved.AccountIdHash.ShouldNotBe(launched.AccountIdHash);
        sut.Inspect("a").ShouldBeNull();
        sut.Inspect("b")!.GpuHours.ShouldBe(16, 1e-9);
    }

    [Fact]
    public void Offer_UnknownInstanceType_UsesEventFieldsAndReportsOncePerType()
    {
        var sut = CreateSut();
        Run(sut,
        [
            A.Launch("a", "i-1", _t0, "x9.mystery", gpuCount: 4, gpuModel: "H100"),
            A.Launch("a", "i-2", _t0, "x9.mystery", gpuCount: 2, gpuModel: "H100"),
            A.Launch("a", "i-3", _t0, "x9.mystery"),
            A.Terminate("a", "i-1", _t0.AddHours(1)),
            A.Terminate("a", "i-2", _t0.AddHours(1)),
            A.Terminate("a", "i-3", _t0.AddHours(1)),
        ]);

        _output.UnknownTypes.ShouldBe(["x9.mystery"]);
        sut.Counters.UnknownInstanceTypeEvents.ShouldBe(3);
        var summary = sut.Inspect("a")!;
        summary.GpuHours.ShouldBe(6, 1e-9);
        summary.EstimatedFlop.ShouldBe(6 * 3600 * H100Peak * 0.35, 1e6);
    }

    [Fact]
    public void Offer_LargeCoLocatedRun_ProjectsThenCrossesFirstTier()
    {
        // 512 x p5.48xlarge = 4,096 H100: 4096 * 989.4e12 * 0.35 = 1.418e18 FLOP/s -> 1e23 after 19.6 h.
        var sut = CreateSut();
        var events = A.Cluster("lab", 512, _t0, duration: TimeSpan.FromHours(30)).Append(A.Access("lab", _t0.AddHours(31)));
        Run(sut, events, flush: false);

        var anomalies = _output.Anomalies.Select(a => a.Anomaly).ToList();
        var projected = anomalies.Single(a => a.TrainingScale!.Kind == "projected");
        projected.Detector.ShouldBe(DetectorNames.TrainingScale);
        projected.Status.ShouldBe(AnomalyStatus.Open);
        projected.TrainingScale!.TierFlop.ShouldBe(1e23);
        projected.EventTime.ShouldBe(_t0.AddHours(6));
        projected.TrainingScale.ProjectedCrossingAt!.Value.ShouldBe(_t0.AddSeconds(1e23 / (4096 * H100Peak * 0.35)), TimeSpan.FromSeconds(1));
        projected.TrainingScale.ConcurrentGpus.ShouldBe(4096);

        var crossed = anomalies.Single(a => a.TrainingScale!.Kind == "crossed");
        crossed.EventTime.ShouldBe(_t0.AddHours(20));
        crossed.Status.ShouldBe(AnomalyStatus.Updated);
        crossed.DedupKey.ShouldBe(projected.DedupKey);
        crossed.Severity.ShouldBe(Severity.Medium);
        crossed.TrainingScale!.EstimatedFlop.ShouldBe(4096 * 20 * 3600 * H100Peak * 0.35, 1e12);
        crossed.TrainingScale.EstimatedFlopLow.ShouldBe(4096 * 20 * 3600 * H100Peak * 0.30, 1e12);
        crossed.TrainingScale.EstimatedFlopHigh.ShouldBe(4096 * 20 * 3600 * H100Peak * 0.40, 1e12);
        crossed.TrainingScale.PeakConcurrentGpus.ShouldBe(4096);
        crossed.TrainingScale.GpuHoursByModel.ShouldContain(new KeyValuePair<string, double>("H100-SXM", 4096 * 20));
        crossed.RootCauses.ShouldContain(r => r.Feature == "estimated_training_flop" && r.TypicalOrThreshold == 1e23);
        crossed.Summary.ShouldContain("1e+23");
        anomalies.ShouldAllBe(a => a.AccountId == "lab");
        anomalies.Count(a => a.TrainingScale!.Scope == "account_rolling").ShouldBe(0); // the run already told the story
    }

    [Fact]
    public void Offer_AllowlistedAccount_ReportedAtLowerSeverity()
    {
        var sut = CreateSut();
        Run(sut, A.Cluster("lab", 512, _t0.AddMinutes(1), duration: TimeSpan.FromHours(25)).Prepend(A.Profile("lab", _t0, allowlisted: true)));

        var crossed = _output.Anomalies.Select(a => a.Anomaly).Single(a => a.TrainingScale!.Kind == "crossed");
        crossed.Severity.ShouldBe(Severity.Low);
        crossed.TrainingScale!.Scope.ShouldBe("account_rolling"); // one incident per allowlisted account, not one per run
        crossed.TrainingScale!.Allowlisted.ShouldBeTrue();
        crossed.Summary.ShouldContain("allowlisted");
    }

    [Fact]
    public void Offer_ConfiguredTiers_ReplaceTheDefaults()
    {
        _options.TrainingScale.TiersFlop = [5e22];
        var sut = CreateSut();
        Run(sut, A.Cluster("lab", 512, _t0, duration: TimeSpan.FromHours(12)));

        var crossed = _output.Anomalies.Select(a => a.Anomaly).Single(a => a.TrainingScale!.Kind == "crossed");
        crossed.TrainingScale!.TierFlop.ShouldBe(5e22);
        crossed.Severity.ShouldBe(Severity.Medium);
    }

    [Fact]
    public void Offer_SteadyRateBelowTierOverWindow_DoesNotProjectRollingCrossing()
    {
        // 32 x H100 all the time: 32 * 989.4e12 * 0.35 * 90 days = 8.6e22 < 1e23, so the rolling total never crosses.
        var sut = CreateSut();
        var events = new List<AccountEvent> { A.Launch("ent", "i-1", _t0, "p5.48xlarge"), A.Launch("ent", "i-2", _t0, "p5.48xlarge"), A.Launch("ent", "i-3", _t0, "p5.48xlarge"), A.Launch("ent", "i-4", _t0, "p5.48xlarge") };
        events.AddRange(Enumerable.Range(1, 60 * 24).Select(h => (AccountEvent)A.Access("ent", _t0.AddHours(h))));
        Run(sut, events);

        _output.Anomalies.Select(a => a.Anomaly).ShouldNotContain(a => a.TrainingScale!.Scope == "account_rolling");
    }

    [Fact]
    public void Offer_ShortBurst_DoesNotProjectMonthsAhead()
    {
        // 16 x p5 = 128 H100 for 48 h: 1e23 would need ~26 days at this rate; a two-day burst is not projected that far.
        var sut = CreateSut();
        Run(sut, A.Cluster("uni", 16, _t0, duration: TimeSpan.FromHours(48)));

        _output.Anomalies.ShouldBeEmpty();
    }

    [Fact]
    public void Offer_SplitAcrossRuns_RollingTotalCrosses()
    {
        // Two runs in different regions, each 0.6e23, together 1.2e23 in the rolling window.
        var seconds = 0.6e23 / (2048 * H100Peak * 0.35);
        var d = TimeSpan.FromSeconds(seconds);
        var sut = CreateSut();
        Run(sut, A.Cluster("acct", 256, _t0, d, region: "us-east-1", placementGroup: "a")
            .Concat(A.Cluster("acct", 256, _t0 + d + TimeSpan.FromDays(1), d, region: "eu-west-1", placementGroup: "b"))
            .OrderBy(e => e.OccurredAt));

        var rolling = _output.Anomalies.Select(a => a.Anomaly).Where(a => a.TrainingScale!.Scope == "account_rolling" && a.TrainingScale.Kind == "crossed").ToList();
        rolling.Count.ShouldBe(1);
        rolling[0].TrainingScale!.EstimatedFlop.ShouldBeGreaterThanOrEqualTo(1e23);
        _output.Anomalies.Select(a => a.Anomaly).ShouldNotContain(a => a.TrainingScale!.Scope == "run" && a.TrainingScale.Kind == "crossed");
    }

    [Fact]
    public void Offer_RunEndsAndRetires_ResolvesItsIncident()
    {
        var sut = CreateSut();
        Run(sut, A.Cluster("lab", 512, _t0, duration: TimeSpan.FromHours(21)).Append(A.Access("lab", _t0.AddHours(40))));

        var anomalies = _output.Anomalies.Select(a => a.Anomaly).ToList();
        var resolved = anomalies.Last(a => a.TrainingScale!.Scope == "run");
        resolved.Status.ShouldBe(AnomalyStatus.Resolved);
        resolved.DedupKey.ShouldBe(anomalies[0].DedupKey);
    }

    [Fact]
    public void Offer_SameInputTwice_GivesSameAnomalyIds()
    {
        var events = A.Cluster("lab", 512, _t0, duration: TimeSpan.FromHours(30)).ToList();
        var first = new RecordingOutput<int>();
        var second = new RecordingOutput<int>();
        Run(new DetectionEngine<int>(_options, GpuCatalog.Default, first), events);
        Run(new DetectionEngine<int>(_options, GpuCatalog.Default, second), events);

        first.Anomalies.Count.ShouldBeGreaterThan(0);
        first.Anomalies.Select(a => a.Anomaly.AnomalyId).ShouldBe(second.Anomalies.Select(a => a.Anomaly.AnomalyId));
    }
}

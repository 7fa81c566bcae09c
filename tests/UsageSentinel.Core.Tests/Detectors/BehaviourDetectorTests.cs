using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.TestKit;

namespace UsageSentinel.Core.Tests.Detectors;

/// <summary>The behavioural detectors, through the engine, on hand-built event sequences.</summary>
public class BehaviourDetectorTests
{
    private readonly DetectionOptions _options = new();
    private readonly RecordingOutput<int> _output = new();
    private readonly DateTimeOffset _t0 = Some.Epoch;

    private List<AnomalyDetected> Run(IEnumerable<AccountEvent> events)
    {
        var engine = new DetectionEngine<int>(_options, GpuCatalog.Default, _output);
        var token = 0;
        foreach (var e in events.OrderBy(e => e.OccurredAt))
        {
            engine.Offer(e, token++);
        }

        engine.Flush();
        return [.. _output.Anomalies.Select(a => a.Anomaly)];
    }

    /// <summary>Four H100 nodes run 24x7 for <paramref name="days"/> days; <paramref name="access"/> yields access events per hour.</summary>
    private IEnumerable<AccountEvent> Account(string id, AccountUpserted profile, int days, Func<DateTimeOffset, int, IEnumerable<AccountEvent>> access, int nodes = 4)
    {
        yield return profile;
        for (var n = 0; n < nodes; n++)
        {
            yield return A.Launch(id, $"{id}-i{n}", _t0.AddMinutes(5 + n), "p5.48xlarge");
        }

        for (var h = 1; h < days * 24; h++)
        {
            foreach (var e in access(_t0.AddHours(h), h))
            {
                yield return e;
            }
        }
    }

    [Fact]
    public void ResaleProxy_TransitHubAccountWithManyForeignPrincipals_RaisesWithExplanation()
    {
        var profile = A.Profile("reseller", _t0, "SG", "business", "pending", createdAt: _t0.AddDays(-3));
        string[] countries = ["CN", "HK", "RU", "IR", "SG", "AE"];
        var events = Account("reseller", profile, 4, (t, h) =>
            [A.Access("reseller", t.AddMinutes(7), $"user-{h % 40}", countries[h % countries.Length], 4000 + (h % 9), anonymizer: h % 3 == 0)])
            .Append(A.Payment("reseller", _t0.AddDays(1), kind: "crypto", thirdParty: true));

        var anomalies = Run(events).Where(a => a.Detector == DetectorNames.ResaleProxy).ToList();

        var first = anomalies.First();
        first.Status.ShouldBe(AnomalyStatus.Open);
        ((int)first.Severity).ShouldBeGreaterThanOrEqualTo((int)Severity.Medium);
        first.DedupKey.ShouldBe("resale_proxy|reseller");
        first.RootCauses.Select(r => r.Feature).ShouldContain("restricted_access_share");
        first.RootCauses.Select(r => r.Feature).ShouldContain("distinct_principals");
        first.RootCauses.Sum(r => r.Contribution).ShouldBe(1, 0.01);
        first.RootCauses.ShouldAllBe(r => r.Contribution <= _options.ResaleProxy.MaxSignalWeight / _options.ResaleProxy.AlertEvidence);
        anomalies.Select(a => a.DedupKey).Distinct().Count().ShouldBe(1); // one incident, updated, not re-raised
    }

    [Fact]
    public void ResaleProxy_LargeVerifiedLabWithManyDomesticUsers_IsNotFlagged()
    {
        var profile = A.Profile("lab", _t0, "US", "business", "verified", createdAt: _t0.AddYears(-3), allowlisted: true);
        var events = Account("lab", profile, 5, (t, h) =>
            [A.Access("lab", t.AddMinutes(3), $"researcher-{h % 200}", "US", 15169)], nodes: 64);

        Run(events).ShouldNotContain(a => a.Detector == DetectorNames.ResaleProxy);
    }

    [Fact]
    public void ResaleProxy_OneSignalAlone_DoesNotAlert()
    {
        // Every access from a restricted country, but nothing else unusual: one signal is never enough.
        var profile = A.Profile("solo", _t0, "US", "business", "verified", createdAt: _t0.AddYears(-2));
        var events = Account("solo", profile, 4, (t, _) => [A.Access("solo", t.AddMinutes(2), "alice", "CN", 4134)]);

        Run(events).ShouldNotContain(a => a.Detector == DetectorNames.ResaleProxy);
    }

    [Fact]
    public void UsageDeviation_DiurnalInferenceCustomer_IsNotFlaggedAtNight()
    {
        // 2 nodes by night, 6 by day, in the customer's own time zone (DE, UTC+1), for three weeks.
        var events = new List<AccountEvent> { A.Profile("inf", _t0, "DE", "business", "verified", createdAt: _t0.AddYears(-1)) };
        events.Add(A.Launch("inf", "base-0", _t0.AddMinutes(1), "p5.48xlarge"));
        events.Add(A.Launch("inf", "base-1", _t0.AddMinutes(1), "p5.48xlarge"));
        for (var d = 0; d < 21; d++)
        {
            var morning = _t0.AddDays(d).AddHours(7);
            for (var n = 0; n < 4; n++)
            {
                events.Add(A.Launch("inf", $"day{d}-{n}", morning.AddMinutes(n), "p5.48xlarge"));
                events.Add(A.Terminate("inf", $"day{d}-{n}", morning.AddHours(11)));
            }
        }

        Run(events).ShouldNotContain(a => a.Detector == DetectorNames.UsageDeviation);
    }

    [Fact]
    public void UsageDeviation_SmallAccountSuddenlyRunsHundredsOfGpus_RaisesWithActualAndTypical()
    {
        var events = new List<AccountEvent>
        {
            A.Profile("small", _t0, "US", "business", "verified", createdAt: _t0.AddYears(-1)),
            A.Launch("small", "tiny", _t0.AddMinutes(1), "a2-highgpu-1g"),
        };
        events.AddRange(Enumerable.Range(1, 24 * 14).Select(h => (AccountEvent)A.Access("small", _t0.AddHours(h), "alice", "US")));
        var spike = _t0.AddDays(14).AddMinutes(30);
        events.AddRange(Enumerable.Range(0, 60).Select(n => (AccountEvent)A.Launch("small", $"burst-{n}", spike, "p4d.24xlarge", region: "ap-south-1")));
        events.Add(A.Access("small", spike.AddHours(3)));

        var anomaly = Run(events).Single(a => a.Detector == DetectorNames.UsageDeviation);

        ((int)anomaly.Severity).ShouldBeGreaterThanOrEqualTo((int)Severity.Medium);
        var running = anomaly.RootCauses.Single(r => r.Feature == "running_gpus");
        running.Actual.ShouldBe(481);
        running.TypicalOrThreshold.ShouldBeLessThan(10);
        anomaly.Summary.ShouldContain("481 GPUs");
        anomaly.RootCauses.Single(r => r.Feature == "new_region").Actual.ShouldBe(1);
        anomaly.Summary.ShouldContain("a new region");
    }

    [Fact]
    public void UsageDeviation_SpikeInUsualRegionByUsualHands_RecordedAtLowSeverity()
    {
        var events = new List<AccountEvent>
        {
            A.Profile("lab", _t0, "US", "business", "verified", createdAt: _t0.AddYears(-1)),
            A.Launch("lab", "tiny", _t0.AddMinutes(1), "g6e.xlarge", region: "us-east-1"),
        };
        events.AddRange(Enumerable.Range(1, 24 * 14).Select(h => (AccountEvent)A.Access("lab", _t0.AddHours(h), "alice", "US")));
        var spike = _t0.AddDays(14).AddMinutes(30);
        events.AddRange(Enumerable.Range(0, 60).Select(n => (AccountEvent)A.Launch("lab", $"burst-{n}", spike, "p4d.24xlarge", region: "us-east-1")));
        events.Add(A.Access("lab", spike.AddHours(3), "alice", "US"));

        var anomaly = Run(events).Single(a => a.Detector == DetectorNames.UsageDeviation);

        anomaly.Severity.ShouldBe(Severity.Low, "a new GPU model alone does not corroborate a spike");
        anomaly.RootCauses.Single(r => r.Feature == "new_gpu_model").Actual.ShouldBe(1);
        anomaly.RootCauses.Single(r => r.Feature == "new_region").Actual.ShouldBe(0);
        anomaly.Summary.ShouldContain("recorded, not alerted");
        ScoreBands.SeverityOf(anomaly.Score).ShouldBe(Severity.Low);
    }

    [Fact]
    public void UsageDeviation_SpikeWithoutCorroborationWhenNotRequired_Alerts()
    {
        _options.Deviation.RequireCorroboration = false;
        var events = new List<AccountEvent>
        {
            A.Profile("lab", _t0, "US", "business", "verified", createdAt: _t0.AddYears(-1)),
            A.Launch("lab", "tiny", _t0.AddMinutes(1), "p4d.24xlarge", region: "us-east-1"),
        };
        events.AddRange(Enumerable.Range(1, 24 * 14).Select(h => (AccountEvent)A.Access("lab", _t0.AddHours(h), "alice", "US")));
        var spike = _t0.AddDays(14).AddMinutes(30);
        events.AddRange(Enumerable.Range(0, 60).Select(n => (AccountEvent)A.Launch("lab", $"burst-{n}", spike, "p4d.24xlarge", region: "us-east-1")));
        events.Add(A.Access("lab", spike.AddHours(3), "alice", "US"));

        var anomaly = Run(events).Single(a => a.Detector == DetectorNames.UsageDeviation);

        ((int)anomaly.Severity).ShouldBeGreaterThanOrEqualTo((int)Severity.Medium);
    }

    [Fact]
    public void BillingDeviation_SpendJumpExplainedByGpuUsage_IsNotAlertedTwice()
    {
        var events = new List<AccountEvent>
        {
            A.Profile("busy", _t0, "US", "academic", "verified", createdAt: _t0.AddYears(-1)),
            A.Launch("busy", "n0", _t0.AddMinutes(1), "a2-highgpu-1g"),
        };
        for (var d = 1; d < 20; d++)
        {
            events.Add(A.Charge("busy", _t0.AddDays(d).AddMinutes(10), 40m));
        }

        // A big but ordinary job: 15 nodes for a day, billed the day after.
        var job = _t0.AddDays(20).AddHours(2);
        events.AddRange(Enumerable.Range(0, 15).Select(n => (AccountEvent)A.Launch("busy", $"job-{n}", job, "p5.48xlarge")));
        events.AddRange(Enumerable.Range(0, 15).Select(n => (AccountEvent)A.Terminate("busy", $"job-{n}", job.AddHours(20))));
        events.Add(A.Charge("busy", _t0.AddDays(21).AddMinutes(10), 29_000m));
        events.Add(A.Charge("busy", _t0.AddDays(22).AddMinutes(10), 40m));
        events.Add(A.Charge("busy", _t0.AddDays(23).AddMinutes(10), 40m));

        Run(events).ShouldNotContain(a => a.Detector == DetectorNames.BillingDeviation);
    }

    [Fact]
    public void BillingDeviation_SpendJumpWithoutGpuUsage_Raises()
    {
        var events = new List<AccountEvent> { A.Profile("buyer", _t0, "US", "business", "verified", createdAt: _t0.AddYears(-1)) };
        for (var d = 1; d < 20; d++)
        {
            events.Add(A.Charge("buyer", _t0.AddDays(d).AddMinutes(10), 100m));
        }

        events.Add(A.Charge("buyer", _t0.AddDays(20).AddMinutes(10), 250_000m));
        events.Add(A.Charge("buyer", _t0.AddDays(21).AddMinutes(10), 100m));

        var anomaly = Run(events).Single(a => a.Detector == DetectorNames.BillingDeviation && a.Status == AnomalyStatus.Open);
        anomaly.RootCauses.Single(r => r.Feature == "daily_spend").Actual.ShouldBe(250_000);
    }

    [Fact]
    public void ResaleProxy_AccountAlsoTrainingAtRestrictedScale_EscalatesToCritical()
    {
        var profile = A.Profile("both", _t0, "SG", "business", "pending", createdAt: _t0.AddDays(-3));
        string[] countries = ["CN", "HK", "RU", "SG"];
        var events = Account("both", profile, 3, (t, h) =>
            [A.Access("both", t.AddMinutes(7), $"user-{h % 30}", countries[h % countries.Length], 4000 + (h % 5))], nodes: 512);

        var anomalies = Run(events);

        anomalies.ShouldContain(a => a.Detector == DetectorNames.TrainingScale && a.TrainingScale!.Kind == "crossed");
        var escalated = anomalies.Last(a => a.Detector == DetectorNames.ResaleProxy);
        escalated.Severity.ShouldBe(Severity.Critical);
        escalated.RootCauses.ShouldContain(r => r.Feature == "training_scale_incident_open");
    }

    [Fact]
    public void UsageDeviation_SpikeInsidePlannedWindow_NeitherAlertsNorTeachesTheBaseline()
    {
        var spike = _t0.AddDays(14).AddMinutes(30);
        _options.Suppression.PlannedActivity = [new() { AccountId = "small", Start = spike.AddHours(-1), End = spike.AddHours(6), Note = "planned migration" }];
        var events = new List<AccountEvent>
        {
            A.Profile("small", _t0, "US", "business", "verified", createdAt: _t0.AddYears(-1)),
            A.Launch("small", "tiny", _t0.AddMinutes(1), "a2-highgpu-1g"),
        };
        events.AddRange(Enumerable.Range(1, 24 * 14).Select(h => (AccountEvent)A.Access("small", _t0.AddHours(h), "alice", "US")));
        events.AddRange(Enumerable.Range(0, 60).Select(n => (AccountEvent)A.Launch("small", $"burst-{n}", spike, "p4d.24xlarge")));
        events.AddRange(Enumerable.Range(0, 60).Select(n => (AccountEvent)A.Terminate("small", $"burst-{n}", spike.AddHours(4))));
        events.Add(A.Access("small", spike.AddHours(10)));

        Run(events).ShouldNotContain(a => a.Detector == DetectorNames.UsageDeviation);
    }

    [Fact]
    public void Emit_SuppressedAccount_IsCountedNotEmitted()
    {
        _options.Suppression.Accounts = ["lab"];
        var engine = new DetectionEngine<int>(_options, GpuCatalog.Default, _output);
        var token = 0;
        foreach (var e in A.Cluster("lab", 512, _t0, TimeSpan.FromHours(30)))
        {
            engine.Offer(e, token++);
        }

        engine.Flush();
        _output.Anomalies.ShouldBeEmpty();
        engine.Counters.Suppressed.ShouldBeGreaterThan(0);
    }
}

using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Kafka.Tests.Anomalies;

/// <summary>
/// Hand-built anomalies whose JSON is pinned byte for byte by <c>Golden/&lt;name&gt;.json</c>: every detector, every
/// status and every severity, a <c>training_scale</c> anomaly with every optional detail and one with none, linked
/// accounts, and a summary that needs escaping.
/// </summary>
internal static class GoldenAnomalies
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the anomalies by golden file name (without <c>.json</c>).</summary>
    public static IReadOnlyDictionary<string, AnomalyDetected> ByName { get; } = new Dictionary<string, AnomalyDetected>(StringComparer.Ordinal)
    {
        ["training_scale-projected-open"] = TrainingScaleProjectedOpen(),
        ["training_scale-crossed-updated"] = TrainingScaleCrossedUpdated(),
        ["training_scale-resolved"] = TrainingScaleResolved(),
        ["resale_proxy-updated"] = ResaleProxyUpdated(),
        ["usage_deviation-open-escaped-summary"] = UsageDeviationOpenWithEscapedSummary(),
        ["billing_deviation-resolved"] = BillingDeviationResolved(),
        ["population_outlier-open"] = PopulationOutlierOpen(),
        ["linked_accounts-open"] = LinkedAccountsOpen(),
    };

    public static TheoryData<string> Names => [.. ByName.Keys];

    /// <summary>Gets the folder the build copies the golden files to.</summary>
    public static string OutputFolder { get; } = Path.Combine(AppContext.BaseDirectory, "Anomalies", "Golden");

    /// <summary>An anomaly with only the required properties set: no linked accounts, no root causes, no details.</summary>
    public static AnomalyDetected Minimal() => new()
    {
        AnomalyId = AnomalyDetected.DeriveId("usage_deviation|acct-1", "1|open"),
        AccountId = "acct-1",
        Detector = DetectorNames.UsageDeviation,
        EventTime = Noon,
        Score = 50,
        Severity = Severity.Medium,
        Confidence = 0.5,
        Summary = "Minimal.",
        RootCauses = [],
        DedupKey = "usage_deviation|acct-1",
        Status = AnomalyStatus.Open,
    };

    /// <summary>Training-scale details with only the required properties set.</summary>
    public static TrainingScaleDetails MinimalTrainingScale() => new()
    {
        Scope = "account_rolling",
        Kind = "crossed",
        WindowStart = Noon.AddDays(-30),
        WindowEnd = Noon,
        TierFlop = 1e25,
        EstimatedFlop = 1.1e25,
        EstimatedFlopLow = 9.4e24,
        EstimatedFlopHigh = 1.25e25,
        Utilization = 0.35,
        GpuHoursByModel = [],
        ConcurrentGpus = 0,
        PeakConcurrentGpus = 0,
        ClusterPeakFlopsPerSecond = 0,
        EstimatedFlopsPerSecond = 0,
        EvidenceEventIds = [],
    };

    /// <summary>Every optional detail set, eight evidence ids, an event time with an offset and 7 fraction digits.</summary>
    private static AnomalyDetected TrainingScaleProjectedOpen()
    {
        const string DedupKey = "training_scale|acct-7781|run|us-east-1/pg-llm-01/i-0a1b2c3d";
        var eventTime = new DateTimeOffset(2026, 3, 1, 14, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(DedupKey, "projected|0"),
            AccountId = "acct-7781",
            Detector = DetectorNames.TrainingScale,
            EventTime = eventTime,
            Score = 62.5,
            Severity = Severity.Medium,
            Confidence = 0.7,
            Summary = "Run us-east-1/pg-llm-01/i-0a1b2c3d of account acct-7781 (512 GPUs: H100-SXM, H200) is projected to cross 1e+25 FLOP in 9.4 days.",
            RootCauses =
            [
                new RootCause("projected_days_to_tier", 9.4, 30, 0.5),
                new RootCause("estimated_training_flops_per_s", 1.771e17, 7.098765432098765e16, 0.3),
                new RootCause("estimated_training_flop", 4.2e24, 1e25, 0.2),
            ],
            DedupKey = DedupKey,
            Status = AnomalyStatus.Open,
            TrainingScale = new TrainingScaleDetails
            {
                Scope = "run",
                Kind = "projected",
                RunKey = "us-east-1/pg-llm-01/i-0a1b2c3d",
                Region = "us-east-1",
                PlacementGroup = "pg-llm-01",
                WindowStart = new DateTimeOffset(2026, 2, 20, 8, 0, 0, TimeSpan.Zero),
                WindowEnd = eventTime,
                TierFlop = 1e25,
                EstimatedFlop = 4.2e24,
                EstimatedFlopLow = 3.6e24,
                EstimatedFlopHigh = 4.8e24,
                Utilization = 0.35,
                GpuHoursByModel = [new("H100-SXM", 110_592.5), new("H200", 2_048.125)],
                ConcurrentGpus = 512,
                PeakConcurrentGpus = 520,
                ClusterPeakFlopsPerSecond = 5.06e17,
                EstimatedFlopsPerSecond = 1.771e17,
                ProjectedCrossingAt = new DateTimeOffset(2026, 3, 10, 22, 5, 30, TimeSpan.Zero),
                Allowlisted = false,
                EvidenceEventIds = [.. Enumerable.Range(1, 8).Select(i => $"evt-launch-{i:D4}")],
            },
        };
    }

    /// <summary>No optional detail set (rolling scope), allowlisted: severity lowered, summary says so.</summary>
    private static AnomalyDetected TrainingScaleCrossedUpdated()
    {
        const string DedupKey = "training_scale|acct-0042|rolling";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(DedupKey, "crossed|1"),
            AccountId = "acct-0042",
            Detector = DetectorNames.TrainingScale,
            EventTime = Noon,
            Score = 65,
            Severity = Severity.High,
            Confidence = 0.9,
            Summary = "Account acct-0042 used an estimated 1.10e+25 FLOP of training compute over 30 days, over the 1e+25 FLOP tier. The account is allowlisted; reported for the record.",
            RootCauses = [new RootCause("rolling_estimated_training_flop", 1.1e25, 1e25, 1.0)],
            DedupKey = DedupKey,
            Status = AnomalyStatus.Updated,
            TrainingScale = MinimalTrainingScale() with
            {
                GpuHoursByModel = [new("A100-SXM4-80GB", 1_204_224)],
                Allowlisted = true,
            },
        };
    }

    private static AnomalyDetected TrainingScaleResolved()
    {
        const string DedupKey = "training_scale|acct-7781|run|eu-west-1/i-0ffee";
        var eventTime = new DateTimeOffset(2026, 3, 4, 6, 15, 0, TimeSpan.Zero).AddMilliseconds(500);
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(DedupKey, "resolved|639080000000000000"),
            AccountId = "acct-7781",
            Detector = DetectorNames.TrainingScale,
            EventTime = eventTime,
            Score = 0,
            Severity = Severity.Low,
            Confidence = 1.0,
            Summary = "Run eu-west-1/i-0ffee of account acct-7781 ended with an estimated 1.30e+25 FLOP of training compute; the incident is resolved.",
            RootCauses = [new RootCause("estimated_training_flop", 1.3e25, 1e25, 1.0)],
            DedupKey = DedupKey,
            Status = AnomalyStatus.Resolved,
            TrainingScale = new TrainingScaleDetails
            {
                Scope = "run",
                Kind = "resolved",
                RunKey = "eu-west-1/i-0ffee",
                Region = "eu-west-1",
                WindowStart = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero),
                WindowEnd = eventTime,
                TierFlop = 1e25,
                EstimatedFlop = 1.3e25,
                EstimatedFlopLow = 1.1142857142857143e25,
                EstimatedFlopHigh = 1.4857142857142857e25,
                Utilization = 0.35,
                GpuHoursByModel = [new("H100-SXM", 2_500_000.333)],
                ConcurrentGpus = 0,
                PeakConcurrentGpus = 1_024,
                ClusterPeakFlopsPerSecond = 0,
                EstimatedFlopsPerSecond = 0,
                EvidenceEventIds = ["evt-launch-9001"],
            },
        };
    }

    private static AnomalyDetected ResaleProxyUpdated()
    {
        const string DedupKey = "resale_proxy|acct-3310";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(DedupKey, "2|critical"),
            AccountId = "acct-3310",
            Detector = DetectorNames.ResaleProxy,
            EventTime = new DateTimeOffset(2026, 3, 2, 23, 59, 59, TimeSpan.Zero),
            Score = 85.71,
            Severity = Severity.Critical,
            Confidence = 0.88,
            Summary = "Account acct-3310 (SG) looks like intermediary resale or proxy access: evidence 12.0 over the alert level 3.5, mostly distinct principals, anonymizer share, distinct source countries, risky payment share.",
            RootCauses =
            [
                new RootCause("distinct_principals", 41, 8, 0.3125),
                new RootCause("anonymizer_share", 0.8125, 0, 0.25),
                new RootCause("distinct_source_countries", 6, 2, 0.1875),
                new RootCause("risky_payment_share", 1, 0, 0.125),
                new RootCause("kyc_not_verified", 1, 0, 0.125),
            ],
            DedupKey = DedupKey,
            Status = AnomalyStatus.Updated,
        };
    }

    /// <summary>Quotes, backslash, tab, newline, HTML-sensitive characters, non-ASCII and a character outside the BMP.</summary>
    private static AnomalyDetected UsageDeviationOpenWithEscapedSummary()
    {
        const string DedupKey = "usage_deviation|acct-é";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(DedupKey, "1|open"),
            AccountId = "acct-é",
            Detector = DetectorNames.UsageDeviation,
            EventTime = Noon.AddHours(6),
            Score = 41.37,
            Severity = Severity.Medium,
            Confidence = 0.75,
            Summary = "Account \"acct-é\" ran 512 GPUs <typical 8> & +6300 % in Zürich\\Genève;\nfirst seen:\tap-southeast-1 \U0001F680.",
            RootCauses =
            [
                new RootCause("running_gpus", 512, 8, 0.5),
                new RootCause("recent_peak_gpus", 512, 16, 0.3),
                new RootCause("peer_typical_peak_gpus", 512, 64, 0.1),
                new RootCause("baseline_score", 0.999_912, 0.999, 0.1),
                new RootCause("new_region", 1, 1, 0),
            ],
            DedupKey = DedupKey,
            Status = AnomalyStatus.Open,
        };
    }

    private static AnomalyDetected BillingDeviationResolved()
    {
        const string DedupKey = "billing_deviation|acct-5150";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(DedupKey, "3|resolved"),
            AccountId = "acct-5150",
            Detector = DetectorNames.BillingDeviation,
            EventTime = new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.FromHours(-5)),
            Score = 0,
            Severity = Severity.Low,
            Confidence = 1,
            Summary = "Account acct-5150: daily spend back within its baseline; the incident is resolved.",
            RootCauses = [],
            DedupKey = DedupKey,
            Status = AnomalyStatus.Resolved,
        };
    }

    private static AnomalyDetected PopulationOutlierOpen()
    {
        const string DedupKey = "population_outlier|acct-8080";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(DedupKey, "1|low"),
            AccountId = "acct-8080",
            Detector = DetectorNames.PopulationOutlier,
            EventTime = Noon.AddDays(1),
            Score = 39.99,
            Severity = Severity.Low,
            Confidence = 0.3,
            Summary = "Account acct-8080 is unusual among 49,876 peer accounts (only 0.00 % as unusual), mostly by log running gpus, duty cycle, controlled gpu share. No other signal corroborates it: recorded, not alerted.",
            RootCauses =
            [
                new RootCause("log_running_gpus", 2.7093, 0.301, 0.4512),
                new RootCause("duty_cycle", 0.9861, 0.2417, 0.2203),
                new RootCause("controlled_gpu_share", 1, 0.125, 0.1),
                new RootCause("population_distance", 7.125, 4, 0),
                new RootCause("population_tail_probability", 3.2e-5, 0.0001, 0),
            ],
            DedupKey = DedupKey,
            Status = AnomalyStatus.Open,
        };
    }

    private static AnomalyDetected LinkedAccountsOpen()
    {
        const string DedupKey = "linked_accounts|acct-1001";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(DedupKey, "compute|0"),
            AccountId = "acct-1001",
            LinkedAccountIds = ["acct-1002", "acct-1003", "acct-1004"],
            Detector = DetectorNames.LinkedAccounts,
            EventTime = Noon.AddDays(2),
            Score = 75,
            Severity = Severity.High,
            Confidence = 0.7,
            Summary = "4 linked accounts sharing payment method, SSH key used an estimated 1.20e+25 FLOP of training compute together, over the 1e+25 FLOP tier, while each stayed below it (largest 4.10e+24). Running now: 1024 GPUs; assumed utilisation 35%.",
            RootCauses =
            [
                new RootCause("group_estimated_training_flop", 1.2e25, 1e25, 0.6),
                new RootCause("largest_member_estimated_training_flop", 4.1e24, 1e25, 0.25),
                new RootCause("linked_accounts", 4, 1, 0.15),
            ],
            DedupKey = DedupKey,
            Status = AnomalyStatus.Open,
        };
    }
}

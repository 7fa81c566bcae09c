using System.Globalization;
using System.Numerics;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;

namespace UsageSentinel.Core.Detectors;

/// <summary>
/// Raises <c>training_scale</c> anomalies when a co-located run, or an account's rolling total, crosses a compute
/// tier, and when a run's current rate projects the next crossing. Stateless apart from its options; the state
/// lives in <see cref="AccountState"/>.
/// </summary>
internal sealed class TrainingScaleDetector
{
    private static readonly Severity[] CrossedSeverity = [Severity.Medium, Severity.High, Severity.Critical, Severity.Critical];
    private static readonly Severity[] ProjectedSeverity = [Severity.Low, Severity.Medium, Severity.High, Severity.Critical];
    private readonly TrainingScaleOptions _options;
    private readonly ModelTable _models;
    private readonly double[] _tiers;
    private readonly long _rollingTicks;

    public TrainingScaleDetector(TrainingScaleOptions options, ModelTable models)
    {
        _options = options;
        _models = models;
        _tiers = [.. options.EffectiveTiersFlop];
        _rollingTicks = options.RollingWindow.Ticks;
    }

    public int TierCount => _tiers.Length;

    /// <summary>Evaluates every run of the account and its rolling total at <paramref name="nowTicks"/>.</summary>
    /// <param name="account">The account, accrued up to <paramref name="nowTicks"/>.</param>
    /// <param name="nowTicks">Event time, UTC ticks.</param>
    /// <param name="raised">Receives the anomalies.</param>
    public void Evaluate(AccountState account, long nowTicks, List<AnomalyDetected> raised)
    {
        // An allowlisted account is reported once, for its rolling total, not run by run.
        if (!account.Allowlisted)
        {
            var runs = account.RunsIfAny;
            for (var i = 0; runs is not null && i < runs.Count; i++)
            {
                EvaluateRun(account, runs[i], nowTicks, raised);
            }
        }

        EvaluateRolling(account, nowTicks, raised);
    }

    /// <summary>
    /// The earliest event time at which <see cref="Evaluate"/> could raise or change anything for the account while its
    /// running set stays as it is (no event): a little before the rolling total or a run reaches its next tier at the
    /// current rate. <paramref name="nowTicks"/> when that could be any hour (an incident open, a projection within
    /// reach); <see cref="long.MaxValue"/> when nothing can.
    /// </summary>
    /// <param name="account">The account, evaluated at <paramref name="nowTicks"/>.</param>
    /// <param name="nowTicks">Event time, UTC ticks.</param>
    public long QuietUntil(AccountState account, long nowTicks)
    {
        if (account.RollingIncidentOpen)
        {
            return nowTicks;
        }

        var until = long.MaxValue;
        if (account.RunsIfAny is { } runs)
        {
            foreach (var run in runs)
            {
                if (run.IncidentOpen)
                {
                    return nowTicks;
                }

                var estimate = run.Compute.PeakFlop * _options.Utilization;
                var rate = run.Compute.RunningPeakFlops * _options.Utilization;
                if (run.EndedTicks == long.MinValue)
                {
                    until = Math.Min(until, NextProjectionBound(estimate, run.ProjectedMask, rate, _options.ProjectionHorizon.TotalSeconds, nowTicks - run.StartTicks, nowTicks));
                }

                until = Math.Min(until, NextCrossingBound(estimate, run.CrossedMask, rate, nowTicks));
            }
        }

        var rolling = account.DailySum(nowTicks) * _options.Utilization;
        var rollingRate = account.Compute.RunningPeakFlops * _options.Utilization;
        var horizon = Math.Min(_options.ProjectionHorizon.TotalSeconds, _options.RollingWindow.TotalSeconds);
        if (account.ActiveSinceTicks != long.MinValue)
        {
            until = Math.Min(until, NextProjectionBound(rolling, account.RollingProjectedMask, rollingRate, horizon, nowTicks - account.ActiveSinceTicks, nowTicks));
        }

        return Math.Min(until, NextCrossingBound(rolling, account.RollingCrossedMask, rollingRate, nowTicks));
    }

    /// <summary>Resolves the incident of a run that is over for good.</summary>
    /// <param name="account">The account.</param>
    /// <param name="run">The run being retired.</param>
    /// <param name="nowTicks">Event time, UTC ticks.</param>
    /// <param name="raised">Receives the resolution.</param>
    public void Retire(AccountState account, ComputeRun run, long nowTicks, List<AnomalyDetected> raised)
    {
        if (!run.IncidentOpen)
        {
            return;
        }

        run.IncidentOpen = false;
        var dedupKey = RunDedupKey(account, run);
        var estimate = run.Compute.PeakFlop * _options.Utilization;
        var tierIndex = HighestBit(run.CrossedMask | run.ProjectedMask);
        var tier = _tiers[Math.Max(0, tierIndex)];
        var summary = string.Format(
            CultureInfo.InvariantCulture,
            "Run {0} of account {1} ended with an estimated {2:0.00e+00} FLOP of training compute; the incident is resolved.",
            run.Key,
            account.AccountId,
            estimate);
        raised.Add(Build(account, dedupKey, $"resolved|{run.EndedTicks}", AnomalyStatus.Resolved, nowTicks, 0, Severity.Low, 1.0, summary,
            [new RootCause("estimated_training_flop", estimate, tier, 1.0)],
            Details(account, run, "resolved", tier, nowTicks, null)));
    }

    private void EvaluateRun(AccountState account, ComputeRun run, long nowTicks, List<AnomalyDetected> raised)
    {
        var estimate = run.Compute.PeakFlop * _options.Utilization;
        var crossed = HighestTierAtOrBelow(estimate);
        if (crossed >= 0 && (run.CrossedMask & (1 << crossed)) == 0)
        {
            var mask = (1 << (crossed + 1)) - 1;
            run.CrossedMask |= mask;
            run.ProjectedMask |= mask;
            for (var t = 0; t <= crossed; t++)
            {
                account.RunTierCrossedTicks[t] = nowTicks;
            }

            raised.Add(RunCrossed(account, run, crossed, estimate, nowTicks));
        }

        if (run.EndedTicks != long.MinValue || run.Compute.RunningPeakFlops <= 0)
        {
            return;
        }

        var next = crossed + 1;
        if (next >= _tiers.Length || (run.ProjectedMask & (1 << next)) != 0)
        {
            return;
        }

        var age = nowTicks - run.StartTicks;
        if (age < _options.MinProjectionAge.Ticks)
        {
            return;
        }

        // Only a run whose current scale alone reaches the tier within the horizon is projected: a steady fleet
        // that creeps towards a tier over months is reported when (if) it crosses, not weeks ahead.
        var rate = run.Compute.RunningPeakFlops * _options.Utilization;
        if (rate * _options.ProjectionHorizon.TotalSeconds < _tiers[next])
        {
            return;
        }

        var etaSeconds = (_tiers[next] - estimate) / rate;
        var horizonSeconds = Math.Min(_options.ProjectionHorizon.TotalSeconds, _options.ProjectionAgeMultiple * age / (double)TimeSpan.TicksPerSecond);
        if (etaSeconds > horizonSeconds)
        {
            return;
        }

        run.ProjectedMask |= 1 << next;
        account.RunTierProjectedTicks[next] = nowTicks;
        raised.Add(RunProjected(account, run, next, estimate, rate, etaSeconds, horizonSeconds, nowTicks));
    }

    private void EvaluateRolling(AccountState account, long nowTicks, List<AnomalyDetected> raised)
    {
        var estimate = account.DailySum(nowTicks) * _options.Utilization;
        var crossed = HighestTierAtOrBelow(estimate);
        // A crossing is over when the rolling total fell back below the lowest tier (10 % hysteresis); a projection
        // alone is over when the account's runs are all retired.
        var over = account.RollingCrossedMask != 0
            ? estimate < _tiers[0] * 0.9
            : account.RunCount == 0 && account.Compute.RunningGpus == 0;
        if (account.RollingIncidentOpen && over)
        {
            account.RollingIncidentOpen = false;
            account.RollingCrossedMask = 0;
            account.RollingProjectedMask = 0;
            var dedup = RollingDedupKey(account);
            var summary = string.Format(
                CultureInfo.InvariantCulture,
                "Account {0}'s rolling {1}-day training compute fell to an estimated {2:0.00e+00} FLOP, below the {3:0e+00} FLOP tier; the incident is resolved.",
                account.AccountId,
                _options.RollingWindow.TotalDays,
                estimate,
                _tiers[0]);
            raised.Add(Build(account, dedup, $"resolved|{account.RollingIncidentOpenedTicks}", AnomalyStatus.Resolved, nowTicks, 0, Severity.Low, 1.0, summary,
                [new RootCause("rolling_estimated_training_flop", estimate, _tiers[0], 1.0)],
                Details(account, null, "resolved", _tiers[0], nowTicks, null)));
            return;
        }

        if (crossed >= 0 && (account.RollingCrossedMask & (1 << crossed)) == 0)
        {
            var mask = (1 << (crossed + 1)) - 1;
            account.RollingCrossedMask |= mask;
            account.RollingProjectedMask |= mask;

            // A single run that crossed this tier in the window already told the story.
            if (account.Allowlisted || account.RunTierCrossed(crossed) == long.MinValue || account.RunTierCrossed(crossed) < nowTicks - _rollingTicks)
            {
                raised.Add(RollingCrossed(account, crossed, estimate, nowTicks));
            }
        }

        if (account.ActiveSinceTicks == long.MinValue || account.Compute.RunningPeakFlops <= 0)
        {
            return;
        }

        var next = crossed + 1;
        if (next >= _tiers.Length || (account.RollingProjectedMask & (1 << next)) != 0)
        {
            return;
        }

        var age = nowTicks - account.ActiveSinceTicks;
        if (age < _options.MinProjectionAge.Ticks)
        {
            return;
        }

        var rate = account.Compute.RunningPeakFlops * _options.Utilization;

        // Old days leave the window while new ones enter: at a steady rate the rolling total tends to
        // rate x window, so a rate below tier / window never crosses; and as for runs, only a rate that reaches
        // the tier within the horizon is projected.
        if (rate * Math.Min(_options.RollingWindow.TotalSeconds, _options.ProjectionHorizon.TotalSeconds) < _tiers[next])
        {
            return;
        }

        var etaSeconds = (_tiers[next] - estimate) / rate;
        var horizonSeconds = Math.Min(
            Math.Min(_options.ProjectionHorizon.TotalSeconds, _options.RollingWindow.TotalSeconds),
            _options.ProjectionAgeMultiple * age / (double)TimeSpan.TicksPerSecond);
        if (etaSeconds > horizonSeconds)
        {
            return;
        }

        account.RollingProjectedMask |= 1 << next;
        if (account.Allowlisted || account.RunTierProjected(next) == long.MinValue || account.RunTierProjected(next) < nowTicks - _rollingTicks)
        {
            raised.Add(RollingProjected(account, next, estimate, rate, etaSeconds, horizonSeconds, nowTicks));
        }
    }

    private AnomalyDetected RunCrossed(AccountState account, ComputeRun run, int tier, double estimate, long nowTicks)
    {
        var dedupKey = RunDedupKey(account, run);
        var status = run.IncidentOpen ? AnomalyStatus.Updated : AnomalyStatus.Open;
        run.IncidentOpen = true;
        var summary = string.Format(
            CultureInfo.InvariantCulture,
            "Co-located run {0} of account {1} reached an estimated {2:0.00e+00} FLOP ({3:0.0e+00} to {4:0.0e+00}) of training compute, crossing the {5:0e+00} FLOP tier, on up to {6} GPUs ({7}).",
            run.Key,
            account.AccountId,
            estimate,
            run.Compute.PeakFlop * _options.UtilizationLow,
            run.Compute.PeakFlop * _options.UtilizationHigh,
            _tiers[tier],
            run.Compute.PeakGpus,
            DescribeModels(run.Compute));
        return Build(account, dedupKey, $"crossed|{tier}", status, nowTicks, CrossedScore(tier), CrossedSeverity[Math.Min(tier, 3)], 0.9, summary,
            CrossedCauses(estimate, _tiers[tier], run.Compute),
            Details(account, run, "crossed", _tiers[tier], nowTicks, null));
    }

    private AnomalyDetected RunProjected(AccountState account, ComputeRun run, int tier, double estimate, double rate, double etaSeconds, double horizonSeconds, long nowTicks)
    {
        var dedupKey = RunDedupKey(account, run);
        var status = run.IncidentOpen ? AnomalyStatus.Updated : AnomalyStatus.Open;
        run.IncidentOpen = true;
        var at = new DateTimeOffset(nowTicks + (long)(etaSeconds * TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var summary = string.Format(
            CultureInfo.InvariantCulture,
            "At its current rate of {0:0.00e+00} FLOP/s on {1} GPUs, co-located run {2} of account {3} is projected to cross {4:0e+00} FLOP on {5:yyyy-MM-dd HH:mm}Z (estimate so far {6:0.00e+00} FLOP).",
            rate,
            run.Compute.RunningGpus,
            run.Key,
            account.AccountId,
            _tiers[tier],
            at,
            estimate);
        return Build(account, dedupKey, $"projected|{tier}", status, nowTicks, ProjectedScore(tier, etaSeconds, horizonSeconds), ProjectedSeverity[Math.Min(tier, 3)], 0.6, summary,
            ProjectedCauses(estimate, _tiers[tier], rate, etaSeconds, horizonSeconds),
            Details(account, run, "projected", _tiers[tier], nowTicks, at));
    }

    private AnomalyDetected RollingCrossed(AccountState account, int tier, double estimate, long nowTicks)
    {
        var dedupKey = RollingDedupKey(account);
        var status = OpenRolling(account, nowTicks);
        var summary = string.Format(
            CultureInfo.InvariantCulture,
            "Account {0} used an estimated {1:0.00e+00} FLOP of training compute in the last {2} days across its runs, crossing the {3:0e+00} FLOP tier that no single run crossed.",
            account.AccountId,
            estimate,
            _options.RollingWindow.TotalDays,
            _tiers[tier]);
        return Build(account, dedupKey, $"crossed|{tier}|{account.RollingIncidentOpenedTicks}", status, nowTicks, CrossedScore(tier), CrossedSeverity[Math.Min(tier, 3)], 0.85, summary,
            CrossedCauses(estimate, _tiers[tier], account.Compute),
            Details(account, null, "crossed", _tiers[tier], nowTicks, null));
    }

    private AnomalyDetected RollingProjected(AccountState account, int tier, double estimate, double rate, double etaSeconds, double horizonSeconds, long nowTicks)
    {
        var dedupKey = RollingDedupKey(account);
        var status = OpenRolling(account, nowTicks);
        var at = new DateTimeOffset(nowTicks + (long)(etaSeconds * TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var summary = string.Format(
            CultureInfo.InvariantCulture,
            "At its current rate of {0:0.00e+00} FLOP/s on {1} GPUs, account {2}'s rolling {3}-day training compute is projected to cross {4:0e+00} FLOP on {5:yyyy-MM-dd HH:mm}Z.",
            rate,
            account.Compute.RunningGpus,
            account.AccountId,
            _options.RollingWindow.TotalDays,
            _tiers[tier],
            at);
        return Build(account, dedupKey, $"projected|{tier}|{account.RollingIncidentOpenedTicks}", status, nowTicks, ProjectedScore(tier, etaSeconds, horizonSeconds), ProjectedSeverity[Math.Min(tier, 3)], 0.55, summary,
            ProjectedCauses(estimate, _tiers[tier], rate, etaSeconds, horizonSeconds),
            Details(account, null, "projected", _tiers[tier], nowTicks, at));
    }

    private static AnomalyStatus OpenRolling(AccountState account, long nowTicks)
    {
        if (account.RollingIncidentOpen)
        {
            return AnomalyStatus.Updated;
        }

        account.RollingIncidentOpen = true;
        account.RollingIncidentOpenedTicks = nowTicks;
        return AnomalyStatus.Open;
    }

    private RootCause[] CrossedCauses(double estimate, double tier, in ComputeAccrual compute)
    {
        var windowRate = tier / (_options.Utilization * _options.RollingWindow.TotalSeconds);
        return
        [
            new RootCause("estimated_training_flop", estimate, tier, 0.6),
            new RootCause("cluster_peak_flops_per_s", compute.RunningPeakFlops, windowRate, 0.25),
            new RootCause("controlled_gpu_hour_share", ControlledShare(compute), 0.5, 0.15),
        ];
    }

    private static RootCause[] ProjectedCauses(double estimate, double tier, double rate, double etaSeconds, double horizonSeconds) =>
    [
        new RootCause("projected_days_to_tier", etaSeconds / 86_400, horizonSeconds / 86_400, 0.5),
        new RootCause("estimated_training_flops_per_s", rate, (tier - estimate) / horizonSeconds, 0.3),
        new RootCause("estimated_training_flop", estimate, tier, 0.2),
    ];

    private double ControlledShare(in ComputeAccrual compute)
    {
        var byModel = compute.GpuSecondsByModel;
        double controlled = 0, total = 0;
        for (var m = 0; m < byModel.Length; m++)
        {
            total += byModel[m];
            if (_models[m].ExportClass == ExportClass.Eccn3A090a)
            {
                controlled += byModel[m];
            }
        }

        return total > 0 ? controlled / total : 0;
    }

    private static double CrossedScore(int tier) => Math.Min(99, 70 + (10 * tier));

    private static double ProjectedScore(int tier, double etaSeconds, double horizonSeconds) =>
        Math.Min(95, 50 + (10 * tier) + (10 * (1 - Math.Clamp(etaSeconds / horizonSeconds, 0, 1))));

    private TrainingScaleDetails Details(AccountState account, ComputeRun? run, string kind, double tier, long nowTicks, DateTimeOffset? projectedAt)
    {
        ref readonly var compute = ref run is null ? ref account.Compute : ref run.Compute;
        var peakFlop = run is null ? account.DailySum(nowTicks) : compute.PeakFlop;
        var windowStart = run?.StartTicks ?? Math.Max(account.FirstSeenTicks, nowTicks - _rollingTicks);
        return new TrainingScaleDetails
        {
            Scope = run is null ? "account_rolling" : "run",
            Kind = kind,
            RunKey = run?.Key,
            Region = run?.Region,
            PlacementGroup = run?.PlacementGroup,
            WindowStart = new DateTimeOffset(windowStart, TimeSpan.Zero),
            WindowEnd = new DateTimeOffset(nowTicks, TimeSpan.Zero),
            TierFlop = tier,
            EstimatedFlop = peakFlop * _options.Utilization,
            EstimatedFlopLow = peakFlop * _options.UtilizationLow,
            EstimatedFlopHigh = peakFlop * _options.UtilizationHigh,
            Utilization = _options.Utilization,
            GpuHoursByModel = GpuHours(compute),
            ConcurrentGpus = compute.RunningGpus,
            PeakConcurrentGpus = compute.PeakGpus,
            ClusterPeakFlopsPerSecond = compute.RunningPeakFlops,
            EstimatedFlopsPerSecond = compute.RunningPeakFlops * _options.Utilization,
            ProjectedCrossingAt = projectedAt,
            Allowlisted = account.Allowlisted,
            EvidenceEventIds = run?.Evidence.ToArray() ?? [],
        };
    }

    private KeyValuePair<string, double>[] GpuHours(in ComputeAccrual compute)
    {
        var byModel = compute.GpuSecondsByModel;
        var result = new List<KeyValuePair<string, double>>();
        for (var m = 0; m < byModel.Length; m++)
        {
            if (byModel[m] > 0)
            {
                result.Add(new(_models[m].Name, Math.Round(byModel[m] / 3600, 3)));
            }
        }

        return [.. result];
    }

    private string DescribeModels(in ComputeAccrual compute)
    {
        var byModel = compute.GpuSecondsByModel;
        var names = new List<string>();
        for (var m = 0; m < byModel.Length; m++)
        {
            if (byModel[m] > 0)
            {
                names.Add(_models[m].Name);
            }
        }

        return names.Count == 0 ? "unknown GPUs" : string.Join(", ", names);
    }

    private AnomalyDetected Build(
        AccountState account, string dedupKey, string discriminator, AnomalyStatus status, long nowTicks, double score, Severity severity,
        double confidence, string summary, RootCause[] causes, TrainingScaleDetails details)
    {
        if (account.Allowlisted && status != AnomalyStatus.Resolved)
        {
            severity = severity.Lower(_options.AllowlistSeverityReduction);
            score *= 0.5;
            summary += " The account is allowlisted; reported for the record.";
        }

        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(dedupKey, discriminator),
            AccountId = account.AccountId,
            Detector = DetectorNames.TrainingScale,
            EventTime = new DateTimeOffset(nowTicks, TimeSpan.Zero),
            Score = status == AnomalyStatus.Resolved ? Math.Round(score, 2) : ScoreBands.Within(score, severity),
            Severity = severity,
            Confidence = confidence,
            Summary = summary,
            RootCauses = causes,
            DedupKey = dedupKey,
            Status = status,
            TrainingScale = details,
        };
    }

    private static string RunDedupKey(AccountState account, ComputeRun run) => $"training_scale|{account.AccountId}|run|{run.Key}";

    private static string RollingDedupKey(AccountState account) => $"training_scale|{account.AccountId}|rolling";

    /// <summary>
    /// A time before an estimate growing at <paramref name="rate"/> FLOP/s from <paramref name="nowTicks"/> reaches the
    /// lowest tier not yet crossed: 1 % short, since the accrued sums add up hour by hour in floating point.
    /// </summary>
    private long NextCrossingBound(double estimate, int crossedMask, double rate, long nowTicks)
    {
        var next = BitOperations.TrailingZeroCount(~crossedMask);
        if (next >= _tiers.Length)
        {
            return long.MaxValue;
        }

        if (estimate >= _tiers[next])
        {
            return nowTicks;
        }

        if (!(rate > 0))
        {
            return long.MaxValue;
        }

        var seconds = 0.99 * (_tiers[next] - estimate) / rate;
        return seconds >= (long.MaxValue - nowTicks) / (double)TimeSpan.TicksPerSecond / 2
            ? long.MaxValue
            : nowTicks + (long)(seconds * TimeSpan.TicksPerSecond);
    }

    /// <summary>
    /// A time before a running estimate's next tier could be projected. A projection needs the rate to reach the tier
    /// within <paramref name="horizonSeconds"/>, the age to reach <see cref="TrainingScaleOptions.MinProjectionAge"/>,
    /// and the time to the tier to fall within the horizon and within <see cref="TrainingScaleOptions.ProjectionAgeMultiple"/>
    /// times the age; at a steady rate each of these has a first time, and the projection none before the last of them.
    /// </summary>
    private long NextProjectionBound(double estimate, int projectedMask, double rate, double horizonSeconds, long ageTicks, long nowTicks)
    {
        if (!(rate > 0))
        {
            return long.MaxValue;
        }

        var next = HighestTierAtOrBelow(estimate) + 1;
        if (next >= _tiers.Length || (projectedMask & (1 << next)) != 0 || rate * horizonSeconds < _tiers[next])
        {
            return long.MaxValue;
        }

        var age = ageTicks / (double)TimeSpan.TicksPerSecond;
        var eta = (_tiers[next] - estimate) / rate;
        var multiple = _options.ProjectionAgeMultiple;
        var wait = Math.Max(
            Math.Max(eta - horizonSeconds, (eta - (multiple * age)) / (1 + multiple)),
            _options.MinProjectionAge.TotalSeconds - age);
        if (!(wait > 0))
        {
            return nowTicks;
        }

        var seconds = 0.99 * wait;
        return seconds >= (long.MaxValue - nowTicks) / (double)TimeSpan.TicksPerSecond / 2
            ? long.MaxValue
            : nowTicks + (long)(seconds * TimeSpan.TicksPerSecond);
    }

    private int HighestTierAtOrBelow(double flop)
    {
        var result = -1;
        for (var i = 0; i < _tiers.Length; i++)
        {
            if (flop >= _tiers[i])
            {
                result = i;
            }
        }

        return result;
    }

    private static int HighestBit(int mask) => mask == 0 ? -1 : 31 - int.LeadingZeroCount(mask);
}

using System.Globalization;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Baselines;
using UsageSentinel.Core.Behaviour;

namespace UsageSentinel.Core.Detectors;

/// <summary>
/// <c>usage_deviation</c> and <c>billing_deviation</c>: an account's hourly GPU usage and daily spend against its
/// own seasonal baseline (hour of day × weekday/weekend in the account's time zone; missing hours are zero usage),
/// its recent peak and, for new accounts, its peer group. Alerts need all three: the hour must be far outside the
/// baseline, well above the recent peak, and above what the account's peers typically reach.
/// </summary>
internal sealed class DeviationDetector
{
    private const int MaxCatchUpHours = 168;
    private const int BillingLagDays = 3;
    private readonly DeviationOptions _options;
    private readonly SeasonalBaselineOptions _hourly = HourlyBaselineOptions();
    private readonly SeasonalBaselineOptions _daily = DailyBaselineOptions();
    private readonly PeerPrior _peerGpus;
    private readonly PeerPrior _peerSpend;

    /// <summary>Writes the peer priors (engine-wide, learnt from every account of the loop) for a checkpoint.</summary>
    internal void WritePeers(State.StateWriter writer)
    {
        _peerGpus.WriteState(writer);
        _peerSpend.WriteState(writer);
    }

    /// <summary>Restores what <see cref="WritePeers"/> wrote.</summary>
    internal void ReadPeers(ref State.StateReader reader)
    {
        _peerGpus.ReadState(ref reader);
        _peerSpend.ReadState(ref reader);
    }
    private readonly long _peakHalfLifeTicks;
    private readonly ModelTable _models;

    private readonly Dictionary<string, (long Start, long End)[]> _planned;

    public DeviationDetector(DeviationOptions options, IEnumerable<PlannedActivity> planned, ModelTable models)
    {
        _options = options;
        _models = models;
        _peerGpus = new PeerPrior(options.PeerQuantile);
        _peerSpend = new PeerPrior(options.PeerQuantile);
        _planned = planned.GroupBy(p => p.AccountId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => (p.Start.UtcTicks, p.End.UtcTicks)).ToArray(), StringComparer.Ordinal);
        _peakHalfLifeTicks = options.PeakHalfLife.Ticks;
    }

    /// <summary>Creates the options of an account's hourly GPU usage baseline.</summary>
    public static SeasonalBaselineOptions HourlyBaselineOptions() => new();

    /// <summary>Creates the options of an account's daily spend baseline.</summary>
    public static SeasonalBaselineOptions DailyBaselineOptions() =>
        new() { SeasonCount = 2, SeasonCycleLength = 1, LevelHalfLife = 7, SpreadHalfLife = 28, WarmUpCount = 7, SeasonHalfLife = 4 };

    public UsageProfile ProfileOf(AccountState account) => account.Usage ??= new UsageProfile(_hourly, _daily);

    /// <summary>Feeds the hour that ended at <paramref name="nowTicks"/> (and zeros for hours missed) and judges it.</summary>
    public void EvaluateHour(AccountState account, long nowTicks, List<AnomalyDetected> raised)
    {
        var profile = ProfileOf(account);
        var hour = (nowTicks / TimeSpan.TicksPerHour) - 1;
        if (profile.LastFedHour == long.MinValue)
        {
            profile.LastFedHour = hour;
            profile.LastGpuSeconds = account.Compute.GpuSeconds;
            return;
        }

        if (hour <= profile.LastFedHour)
        {
            return;
        }

        if (InPlannedWindow(account.AccountId, nowTicks))
        {
            // Planned activity neither alerts nor teaches the baseline: skip the hour, keep the old peak.
            profile.LastFedHour = hour;
            profile.LastGpuSeconds = account.Compute.GpuSeconds;
            return;
        }

        var offset = account.DeclaredUtcOffsetHours;
        for (var h = Math.Max(profile.LastFedHour + 1, hour - MaxCatchUpHours); h < hour; h++)
        {
            profile.Gpu.Observe(UsageProfile.HourSeason(h, offset), 0);
        }

        // GPUs running at the hour boundary, not GPU-hours accrued in the hour: late launches correct the accrual
        // retroactively, which would otherwise pile hours of usage into one hour and look like a spike.
        var gpus = (double)account.Compute.RunningGpus;
        profile.LastGpuSeconds = account.Compute.GpuSeconds;
        profile.LastFedHour = hour;
        var verdict = profile.Gpu.Observe(UsageProfile.HourSeason(hour, offset), gpus);
        TrackDailyGpuHours(profile, hour, gpus, nowTicks);

        var peak = Decayed(profile.PeakGpus, profile.PeakGpusTicks, nowTicks);
        var group = account.EntityType ?? "unknown";
        var peer = _peerGpus.High(group, _options.DefaultPeerPeakGpus);
        var threshold = Math.Max(Math.Max(_options.PeakMultiple * peak, peak + _options.MinDeviationGpus), peer);
        if (_options.Enabled && gpus >= threshold && verdict.Score >= _options.ScoreThreshold && !profile.UsageIncidentOpen)
        {
            profile.UsageIncidentOpen = true;
            profile.UsageIncidentNumber++;
            profile.CalmHours = 0;
            profile.UsagePeakBefore = peak;
            raised.Add(Usage(account, profile, verdict, peak, peer, threshold, nowTicks));
        }
        else if (profile.UsageIncidentOpen)
        {
            profile.CalmHours = gpus <= Math.Max(1.2 * profile.UsagePeakBefore, profile.UsagePeakBefore + (_options.MinDeviationGpus / 2)) ? profile.CalmHours + 1 : 0;
            if (profile.CalmHours >= _options.CalmHoursToResolve)
            {
                profile.UsageIncidentOpen = false;
                raised.Add(Resolved(account, DetectorNames.UsageDeviation, profile.UsageIncidentNumber, nowTicks, "GPU usage is back near its usual level"));
            }
        }

        if (gpus > peak)
        {
            profile.PeakGpus = gpus;
            profile.PeakGpusTicks = nowTicks;
        }

        if (hour % 24 == 0)
        {
            _peerGpus.Learn(group, Math.Max(peak, gpus)); // once a day per account
        }
    }

    /// <summary>Adds a charge; when a new day starts, judges the day before.</summary>
    public void AddCharge(AccountState account, decimal amount, long ticks, List<AnomalyDetected> raised)
    {
        var profile = ProfileOf(account);
        if (InPlannedWindow(account.AccountId, ticks))
        {
            return;
        }

        var day = ticks / TimeSpan.TicksPerDay;
        if (profile.SpendDay == long.MinValue)
        {
            profile.SpendDay = day;
        }
        else if (day > profile.SpendDay)
        {
            CloseDays(account, profile, day, raised);
        }

        if (day >= profile.SpendDay)
        {
            profile.SpendToday += (double)amount;
        }
    }

    private void CloseDays(AccountState account, UsageProfile profile, long newDay, List<AnomalyDetected> raised)
    {
        var spend = profile.SpendToday;
        var dayTicks = (profile.SpendDay + 1) * TimeSpan.TicksPerDay;
        var verdict = profile.Spend.Observe(DaySeason(profile.SpendDay), spend);
        var peak = Decayed(profile.PeakSpend, profile.PeakSpendTicks, dayTicks);
        var group = account.EntityType ?? "unknown";
        var peer = _peerSpend.High(group, _options.DefaultPeerPeakDailySpend);
        var threshold = Math.Max(Math.Max(_options.SpendPeakMultiple * peak, peak + _options.MinDeviationSpend), peer);
        if (_options.Enabled && spend >= threshold && verdict.Score >= _options.ScoreThreshold && !profile.BillingIncidentOpen
            && !ExplainedByUsage(profile, profile.SpendDay))
        {
            profile.BillingIncidentOpen = true;
            profile.BillingIncidentNumber++;
            profile.BillingIncidentDay = profile.SpendDay;
            raised.Add(Billing(account, profile, verdict, peak, peer, threshold, dayTicks));
        }
        else if (profile.BillingIncidentOpen && spend <= Math.Max(1.2 * peak, 1) && profile.SpendDay - profile.BillingIncidentDay >= 3)
        {
            profile.BillingIncidentOpen = false;
            raised.Add(Resolved(account, DetectorNames.BillingDeviation, profile.BillingIncidentNumber, dayTicks, "daily spend is back near its usual level"));
        }

        if (spend > peak)
        {
            profile.PeakSpend = spend;
            profile.PeakSpendTicks = dayTicks;
        }

        _peerSpend.Learn(group, Math.Max(peak, spend));
        for (var d = profile.SpendDay + 1; d < newDay && d - profile.SpendDay <= 31; d++)
        {
            profile.Spend.Observe(DaySeason(d), 0);
        }

        profile.SpendDay = newDay;
        profile.SpendToday = 0;
    }

    private void TrackDailyGpuHours(UsageProfile profile, long hour, double gpuHours, long nowTicks)
    {
        var day = hour / 24;
        if (profile.GpuDay != day)
        {
            if (profile.GpuDay != long.MinValue)
            {
                var peak = Decayed(profile.PeakDailyGpuHours, profile.PeakDailyGpuHoursTicks, nowTicks);
                profile.GpuHoursLastDay = profile.GpuDay == day - 1 ? profile.GpuHoursToday : 0;
                if (profile.GpuHoursToday > 0 && profile.GpuHoursToday >= _options.PeakMultiple * peak)
                {
                    profile.LastUsageJumpDay = profile.GpuDay;
                }

                if (profile.GpuHoursToday > peak)
                {
                    profile.PeakDailyGpuHours = profile.GpuHoursToday;
                    profile.PeakDailyGpuHoursTicks = nowTicks;
                }
            }

            profile.GpuDay = day;
            profile.GpuHoursToday = 0;
        }

        profile.GpuHoursToday += gpuHours;
    }

    /// <summary>
    /// Whether GPU usage explains the spend of <paramref name="day"/>: the account's usage incident is open, or its
    /// GPU-hours jumped to at least <see cref="DeviationOptions.PeakMultiple"/> times their recent peak day on that day
    /// or one of the <see cref="BillingLagDays"/> days before (charges are often billed when an instance stops).
    /// Spend that GPU usage explains is judged by <c>usage_deviation</c>, not alerted twice.
    /// </summary>
    private static bool ExplainedByUsage(UsageProfile profile, long day) =>
        profile.UsageIncidentOpen
        || (profile.LastUsageJumpDay != long.MinValue && profile.LastUsageJumpDay >= day - BillingLagDays)
        || (profile.GpuDay == day && profile.GpuHoursToday > 0 && profile.PeakDailyGpuHours <= 0);

    private bool InPlannedWindow(string accountId, long ticks)
    {
        if (_planned.Count == 0 || !_planned.TryGetValue(accountId, out var windows))
        {
            return false;
        }

        foreach (var (start, end) in windows)
        {
            if (ticks >= start && ticks <= end)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <see cref="EvaluateHour"/> cannot raise a usage finding for the account over the next day of hours while
    /// its GPU count stays as it is (no event). The hour's count must reach both <see cref="DeviationOptions.PeakMultiple"/>
    /// times the decayed peak and the peak plus <see cref="DeviationOptions.MinDeviationGpus"/>; the peak is at least the
    /// steady count now, and each hour restores it when it decayed below, so it cannot fall under the count times a day's
    /// decay. Called right after the hour was evaluated.
    /// </summary>
    public bool QuietWhileSteady(AccountState account, long nowTicks)
    {
        if (account.Usage is not { } profile || profile.UsageIncidentOpen)
        {
            return false;
        }

        if (!_options.Enabled)
        {
            return true;
        }

        var gpus = account.Compute.RunningGpus;
        if (gpus == 0)
        {
            return _options.MinDeviationGpus > 0;
        }

        if (Decayed(profile.PeakGpus, profile.PeakGpusTicks, nowTicks) < gpus)
        {
            return false;
        }

        var dayDecay = Math.Pow(0.5, TimeSpan.TicksPerDay / (double)_peakHalfLifeTicks);
        return _options.PeakMultiple * dayDecay > 1 || gpus * (1 - dayDecay) < _options.MinDeviationGpus;
    }

    private double Decayed(double peak, long peakTicks, long nowTicks) =>
        peak <= 0 || nowTicks <= peakTicks ? peak : peak * Math.Pow(0.5, (nowTicks - peakTicks) / (double)_peakHalfLifeTicks);

    private static int DaySeason(long utcDay)
    {
        var weekday = (int)(((utcDay + 4) % 7 + 7) % 7);
        return weekday is 0 or 6 ? 1 : 0;
    }

    private AnomalyDetected Usage(AccountState account, UsageProfile profile, BaselineVerdict verdict, double peak, double peer, double threshold, long nowTicks)
    {
        var novelty = Novelty(account, nowTicks);
        // New places and a move to controlled GPUs corroborate fully; a new principal half (labs hire), a new GPU
        // model a quarter (labs move to each hardware generation): at least one full corroboration is needed.
        var corroborated = novelty.Weight >= 1 || !_options.RequireCorroboration;
        var severity = !corroborated ? Severity.Low
            : verdict.Value >= 4 * threshold || novelty.Weight >= 2 ? Severity.High
            : Severity.Medium;
        var summary = string.Format(
            CultureInfo.InvariantCulture,
            "Account {0} runs {1:N0} GPUs against a usual {2:N1} at this hour and a recent peak of {3:N0} ({4:N1}x)",
            account.AccountId,
            verdict.Value,
            Math.Max(0, verdict.Expected),
            peak,
            verdict.Value / Math.Max(1, peak));
        var what = novelty.Causes.Where(c => c.Actual > 0 && c.Feature.StartsWith("new_", StringComparison.Ordinal))
            .Select(c => "a " + c.Feature.Replace('_', ' '))
            .Concat(novelty.SkuShift ? ["a move to 3A090.a-class GPUs"] : [])
            .ToList();
        summary += corroborated && what.Count > 0
            ? ", with " + string.Join(" and ", what) + "."
            : "; no new region, country or principal and no move to 3A090.a-class GPUs corroborates it: recorded, not alerted.";
        return Open(
            account, DetectorNames.UsageDeviation, profile.UsageIncidentNumber, verdict, peak, peer, threshold, nowTicks,
            account.Allowlisted ? severity.Lower(2) : severity, verdict.WarmedUp ? 0.8 : 0.6, summary,
            ("running_gpus", "recent_peak_gpus", "peer_typical_peak_gpus"), decimals: 3, novelty.Causes);
    }

    /// <summary>
    /// What is new about the account in the novelty window: first-seen region, GPU model, source country and
    /// principal, and a shift of its running GPUs to 3A090.a-class models against its history.
    /// </summary>
    private (double Weight, bool SkuShift, RootCause[] Causes) Novelty(AccountState account, long nowTicks)
    {
        var window = _options.NoveltyWindow.Ticks;
        var b = account.Behaviour;
        bool Recent(long ticks) => ticks != long.MinValue && nowTicks - ticks <= window;
        var region = b is not null && Recent(b.NewRegionTicks);
        var model = b is not null && Recent(b.NewGpuModelTicks);
        var country = b is not null && Recent(b.NewSourceCountryTicks);
        var principal = b is not null && Recent(b.NewPrincipalTicks);

        double controlled = 0;
        foreach (ref readonly var instance in account.OpenInstances.Items)
        {
            if (_models[instance.ModelIndex].ExportClass == Catalog.ExportClass.Eccn3A090a)
            {
                controlled += instance.Gpus;
            }
        }

        var running = Math.Max(1, account.Compute.RunningGpus);
        var share = controlled / running;
        var typicalShare = PopulationFeatures.ControlledShare(account.Compute.GpuSecondsByModel, _models);
        var skuShift = share >= 0.5 && share - typicalShare >= 0.3;
        var weight = (region ? 1 : 0) + (country ? 1 : 0) + (skuShift ? 1 : 0) + (principal ? 0.5 : 0) + (model ? 0.25 : 0);
        RootCause[] causes =
        [
            new("new_region", region ? 1 : 0, 1, 0),
            new("new_gpu_model", model ? 1 : 0, 1, 0),
            new("new_source_country", country ? 1 : 0, 1, 0),
            new("new_principal", principal ? 1 : 0, 1, 0),
            new("controlled_gpu_share", Math.Round(share, 3), Math.Round(typicalShare, 3), 0),
        ];
        return (weight, skuShift, causes);
    }

    private AnomalyDetected Billing(AccountState account, UsageProfile profile, BaselineVerdict verdict, double peak, double peer, double threshold, long nowTicks)
    {
        var summary = string.Format(
            CultureInfo.InvariantCulture,
            "Account {0} was charged {1:N2} in one day against a usual {2:N2} and a recent peak day of {3:N2} ({4:N1}x).",
            account.AccountId,
            verdict.Value,
            Math.Max(0, verdict.Expected),
            peak,
            verdict.Value / Math.Max(1, peak));
        return Open(
            account, DetectorNames.BillingDeviation, profile.BillingIncidentNumber, verdict, peak, peer, threshold, nowTicks,
            account.Allowlisted ? Severity.Low : Severity.Medium, verdict.WarmedUp ? 0.75 : 0.55, summary,
            ("daily_spend", "recent_peak_daily_spend", "peer_typical_peak_daily_spend"), decimals: 2);
    }

    private AnomalyDetected Open(
        AccountState account, string detector, int incident, BaselineVerdict verdict, double peak, double peer, double threshold, long nowTicks,
        Severity severity, double confidence, string summary, (string Value, string Peak, string Peer) features, int decimals, RootCause[]? context = null)
    {
        var dedupKey = $"{detector}|{account.AccountId}";
        var ratio = verdict.Value / Math.Max(1, peak);
        var value = Math.Round(verdict.Value, decimals);
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(dedupKey, $"{incident}|open"),
            AccountId = account.AccountId,
            Detector = detector,
            EventTime = new DateTimeOffset(nowTicks, TimeSpan.Zero),
            // The baseline's score is 1 − the tail probability of the deviation: the common scale of every detector.
            Score = ScoreBands.Within(ScoreBands.FromTailProbability(1 - verdict.Score) + (10 * Math.Min(1, Math.Log10(Math.Max(1, ratio)) / 2)), severity),
            Severity = severity,
            Confidence = confidence,
            Summary = summary,
            RootCauses =
            [
                new RootCause(features.Value, value, Math.Round(Math.Max(0, verdict.Expected), decimals), 0.5),
                new RootCause(features.Peak, value, Math.Round(threshold, decimals), 0.3),
                new RootCause(features.Peer, value, Math.Round(peer, decimals), 0.1),
                new RootCause("baseline_score", Math.Round(verdict.Score, 6), _options.ScoreThreshold, 0.1),
                .. context ?? [],
            ],
            DedupKey = dedupKey,
            Status = AnomalyStatus.Open,
        };
    }

    private static AnomalyDetected Resolved(AccountState account, string detector, int incident, long nowTicks, string why)
    {
        var dedupKey = $"{detector}|{account.AccountId}";
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(dedupKey, $"{incident}|resolved"),
            AccountId = account.AccountId,
            Detector = detector,
            EventTime = new DateTimeOffset(nowTicks, TimeSpan.Zero),
            Score = 0,
            Severity = Severity.Low,
            Confidence = 1,
            Summary = string.Format(CultureInfo.InvariantCulture, "Account {0}: {1}; the incident is resolved.", account.AccountId, why),
            RootCauses = [],
            DedupKey = dedupKey,
            Status = AnomalyStatus.Resolved,
        };
    }
}

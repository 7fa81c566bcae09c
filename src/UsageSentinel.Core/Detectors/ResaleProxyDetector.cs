using System.Globalization;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Behaviour;

namespace UsageSentinel.Core.Detectors;

/// <summary>
/// Scores intermediary resale / proxy access as a combination of signals. Each signal gives evidence between 0
/// and its weight (at most <see cref="ResaleProxyOptions.MaxSignalWeight"/>, below the alert level), so no single
/// signal alerts on its own: the score comes from their combination.
/// </summary>
internal sealed class ResaleProxyDetector
{
    private const int SignalCount = 13;
    private const int DutyCycleSignal = 7;
    private static readonly string[] Features =
    [
        "distinct_principals", "distinct_ssh_keys", "distinct_source_asns", "distinct_source_countries", "restricted_access_share",
        "anonymizer_share", "activity_hour_offset", "flat_duty_cycle", "risky_payment_share", "payer_mismatch_share",
        "young_account_gpus", "declared_reseller", "kyc_not_verified",
    ];

    private static readonly double[] Thresholds = [8, 5, 3, 2, 0, 0, 4, 0.8, 0, 0, 0, 0, 0];
    private readonly ResaleProxyOptions _options;
    private readonly HashSet<string> _restricted;
    private readonly long _halfLifeTicks;
    private readonly double[] _weights;
    private readonly double[] _evidence = new double[SignalCount];
    private readonly double[] _actual = new double[SignalCount];

    public ResaleProxyDetector(ResaleProxyOptions options)
    {
        _options = options;
        _restricted = new HashSet<string>(options.EffectiveRestrictedCountries, StringComparer.OrdinalIgnoreCase);
        _halfLifeTicks = options.ShareHalfLife.Ticks;
        var max = options.MaxSignalWeight;
        _weights = [max, 1.0, 0.75, 1.0, max, 1.0, 1.0, 0.5, max, 0.75, 1.0, 0.5, 0.5];
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = Math.Min(_weights[i], max);
        }
    }

    public long HalfLifeTicks => _halfLifeTicks;

    public bool IsRestricted(string? country) => country is not null && _restricted.Contains(country);

    /// <summary>Computes the account's evidence and raises, updates or resolves its incident.</summary>
    /// <returns>The evidence.</returns>
    public double Evaluate(AccountState account, AccountBehaviour behaviour, long nowTicks, List<AnomalyDetected> raised)
    {
        var evidence = Score(account, behaviour, nowTicks);
        if (!_options.Enabled)
        {
            return evidence;
        }

        var severity = evidence >= _options.CriticalEvidence ? Severity.Critical
            : evidence >= _options.HighEvidence ? Severity.High
            : evidence >= _options.AlertEvidence ? Severity.Medium
            : (Severity?)null;
        if (severity is { } band)
        {
            // Resale signals on an account that also trains at restricted scale: escalate.
            var training = TrainingIncidentOpen(account);
            if (training)
            {
                band = Severity.Critical;
            }

            if (account.Allowlisted)
            {
                band = band.Lower(2);
            }

            if (!account.ResaleIncidentOpen || band > account.ResaleSeverity)
            {
                var status = account.ResaleIncidentOpen ? AnomalyStatus.Updated : AnomalyStatus.Open;
                if (!account.ResaleIncidentOpen)
                {
                    account.ResaleIncidentNumber++;
                }

                account.ResaleIncidentOpen = true;
                account.ResaleSeverity = band;
                raised.Add(Build(account, evidence, band, status, nowTicks, training));
            }
        }
        else if (account.ResaleIncidentOpen && evidence < _options.AlertEvidence * 0.5)
        {
            account.ResaleIncidentOpen = false;
            raised.Add(Build(account, evidence, Severity.Low, AnomalyStatus.Resolved, nowTicks, escalated: false));
            account.ResaleSeverity = Severity.Low;
        }

        return evidence;
    }

    /// <summary>
    /// Whether the account's evidence, as last evaluated, cannot reach the alert level before its next event. Without
    /// events every signal holds or falls (shares of counters decaying alike keep their ratio, distinct counts leave
    /// their window, the activity histogram keeps its shape while its total decays, a young account ages) except the
    /// flat duty cycle, which running GPUs raise hour by hour up to its weight.
    /// </summary>
    public bool CannotAlertWithoutEvents(AccountState account) =>
        !account.ResaleIncidentOpen
        && (!_options.Enabled || account.ResaleEvidence + _weights[DutyCycleSignal] < _options.AlertEvidence * (1 - 1e-9));

    private double Score(AccountState account, AccountBehaviour b, long now)
    {
        Array.Clear(_evidence);
        var access = b.Access.ValueAt(now, _halfLifeTicks);
        var enoughAccess = access >= _options.MinAccessEvents * 0.5;

        Set(0, b.Principals.Estimate(now), 8, 24);
        Set(1, b.SshKeys.Estimate(now), 5, 20);
        Set(2, enoughAccess ? b.Asns.Estimate(now) : 0, 3, 7);
        Set(3, enoughAccess ? b.Countries.Estimate(now) : 0, 2, 4);
        Set(4, enoughAccess ? b.RestrictedAccess.ValueAt(now, _halfLifeTicks) / access : 0, 0, 0.25);
        Set(5, enoughAccess ? b.AnonymizerAccess.ValueAt(now, _halfLifeTicks) / access : 0, 0, 0.25);

        var (meanHour, concentration, total) = b.ActivityPeak(account.DeclaredUtcOffsetHours);
        var hourOffset = CircularDistance(meanHour, 14);
        Set(6, account.DeclaredCountry is not null && total >= _options.MinAccessEvents && concentration >= 0.2 ? hourOffset : 0, 4, 4);
        Set(DutyCycleSignal, concentration < 0.2 ? b.DutyCycle : 0, 0.8, 0.2);

        var payments = b.Payments.ValueAt(now, _halfLifeTicks);
        var risky = payments <= 0 ? 0 : Math.Max(
            b.RiskyPayments.ValueAt(now, _halfLifeTicks),
            Math.Max(b.ThirdPartyPayments.ValueAt(now, _halfLifeTicks), b.RestrictedPayments.ValueAt(now, _halfLifeTicks))) / payments;
        Set(8, risky, 0, 0.5);
        var launches = b.Launches.ValueAt(now, _halfLifeTicks);
        Set(9, launches <= 0 ? 0 : b.PayerMismatchLaunches.ValueAt(now, _halfLifeTicks) / launches, 0, 0.3);

        var created = account.CreatedAt?.UtcTicks ?? account.FirstSeenTicks;
        var young = now - created < _options.YoungAccountAge.Ticks;
        Set(10, young ? account.Compute.PeakGpus : 0, 0, _options.YoungAccountGpus * 2.0);
        Set(11, b.DeclaredReseller || string.Equals(account.EntityType, "reseller", StringComparison.Ordinal) ? 1 : 0, 0, 1);
        Set(12, account.KycStatus switch { "unverified" => 1, "pending" => 0.5, _ => 0 }, 0, 1);

        var sum = 0.0;
        for (var i = 0; i < SignalCount; i++)
        {
            sum += _evidence[i];
        }

        return sum;
    }

    /// <summary>Evidence of signal <paramref name="i"/>: 0 at <paramref name="from"/>, its full weight at from + span.</summary>
    private void Set(int i, double actual, double from, double span)
    {
        _actual[i] = actual;
        _evidence[i] = _weights[i] * Math.Clamp((actual - from) / span, 0, 1);
    }

    private static bool TrainingIncidentOpen(AccountState account)
    {
        if (account.RollingIncidentOpen && account.RollingCrossedMask != 0)
        {
            return true;
        }

        if (account.RunsIfAny is { } runs)
        {
            foreach (var run in runs)
            {
                if (run.IncidentOpen && run.CrossedMask != 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private AnomalyDetected Build(AccountState account, double evidence, Severity severity, AnomalyStatus status, long nowTicks, bool escalated)
    {
        var causes = new List<RootCause>();
        for (var i = 0; i < SignalCount; i++)
        {
            if (_evidence[i] > 0)
            {
                causes.Add(new RootCause(Features[i], Math.Round(_actual[i], 4), Thresholds[i], Math.Round(_evidence[i] / Math.Max(evidence, 1e-9), 4)));
            }
        }

        causes.Sort((a, b) => b.Contribution.CompareTo(a.Contribution));
        if (escalated)
        {
            causes.Add(new RootCause("training_scale_incident_open", 1, 1, 0));
        }
        var top = string.Join(", ", causes.Take(4).Select(c => c.Feature.Replace('_', ' ')));
        var dedupKey = $"resale_proxy|{account.AccountId}";
        var summary = status == AnomalyStatus.Resolved
            ? string.Format(CultureInfo.InvariantCulture, "Resale / proxy evidence for account {0} fell to {1:F1}; the incident is resolved.", account.AccountId, evidence)
            : string.Format(
                CultureInfo.InvariantCulture,
                "Account {0} ({1}) looks like intermediary resale or proxy access: evidence {2:F1} over the alert level {3:F1}, mostly {4}.",
                account.AccountId,
                account.DeclaredCountry ?? "country unknown",
                evidence,
                _options.AlertEvidence,
                top);
        if (escalated && status != AnomalyStatus.Resolved)
        {
            summary += " The account also trains at restricted scale: escalated to critical.";
        }

        if (account.Allowlisted && status != AnomalyStatus.Resolved)
        {
            summary += " The account is allowlisted; reported for the record.";
        }

        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(dedupKey, $"{account.ResaleIncidentNumber}|{(status == AnomalyStatus.Resolved ? "resolved" : severity.ToWireName())}"),
            AccountId = account.AccountId,
            Detector = DetectorNames.ResaleProxy,
            EventTime = new DateTimeOffset(nowTicks, TimeSpan.Zero),
            Score = status == AnomalyStatus.Resolved ? 0 : ScoreBands.Within(100 * evidence / (evidence + 2), severity),
            Severity = severity,
            Confidence = Math.Round(Math.Min(0.95, 0.4 + (0.08 * causes.Count)), 2),
            Summary = summary,
            RootCauses = causes,
            DedupKey = dedupKey,
            Status = status,
        };
    }

    private static double CircularDistance(double a, double b)
    {
        var d = Math.Abs(a - b) % 24;
        return d > 12 ? 24 - d : d;
    }
}

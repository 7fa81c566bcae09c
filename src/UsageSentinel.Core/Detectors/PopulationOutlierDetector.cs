using System.Globalization;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Behaviour;
using UsageSentinel.Core.Ports;

namespace UsageSentinel.Core.Detectors;

/// <summary>
/// <c>population_outlier</c>: at every retraining boundary of event time, each loop snapshots the feature vectors of
/// its accounts with GPU use and hands them to the training (<see cref="IPopulationTraining"/>, off the loop). When the
/// model trained on the snapshot arrives (swapped in at the loop's next evaluation), the loop scores that snapshot's
/// accounts against it and reports those that stay unusual among their peers.
/// </summary>
internal sealed class PopulationOutlierDetector
{
    /// <summary>How many accounts after its enumeration a snapshot takes an account (see <see cref="Snapshot"/>).</summary>
    private const int TakeDistance = 6;
    private const int AheadMask = 7;

    private readonly PopulationOutlierOptions _options;
    private readonly IPopulationTraining? _training;
    private readonly ModelTable _models;
    private readonly double _utilization;
    private readonly long _halfLifeTicks;
    private readonly double _corroboratingEvidence;
    private readonly int _loop;
    private readonly float[] _features = new float[PopulationFeatures.Count];
    private readonly float[] _contributions = new float[PopulationFeatures.Count];
    private readonly List<(AccountState Account, float[] Features)> _pending = [];

    /// <summary>The accounts a snapshot has enumerated and not yet taken, by enumeration number modulo 8.</summary>
    private readonly AccountState?[] _ahead = new AccountState?[AheadMask + 1];
    private IPopulationModel? _model;
    private IPopulationScorer? _scorer;
    private long _modelVersion;

    public PopulationOutlierDetector(
        PopulationOutlierOptions options, ResaleProxyOptions resale, double utilization, ModelTable models, IPopulationTraining? training, int loop)
    {
        _options = options;
        _training = options.Enabled ? training : null;
        _models = models;
        _utilization = utilization;
        _halfLifeTicks = resale.ShareHalfLife.Ticks;
        _corroboratingEvidence = resale.AlertEvidence / 2;
        _loop = loop;
    }

    /// <summary>Gets whether the detector has a training source and so takes snapshots.</summary>
    public bool IsActive => _training is not null;

    /// <summary>Gets whether a snapshot waits for the model trained on it (its accounts must stay in memory).</summary>
    public bool HasPendingSnapshot => _pending.Count > 0;

    /// <summary>Gets the version of the model in use; 0 before the first.</summary>
    public long ModelVersion => _modelVersion;

    /// <summary>
    /// Takes a newer model when one was published (no lock, no allocation otherwise) and scores the accounts of the
    /// snapshot it was trained on against it, raising what changed.
    /// </summary>
    public void RefreshModel(long nowTicks, List<AnomalyDetected> raised)
    {
        if (_training is null || !_training.Models.TryGetNewer(_modelVersion, out var model, out var version))
        {
            return;
        }

        _modelVersion = version;
        if (model.FeatureCount != PopulationFeatures.Count)
        {
            return;
        }

        _model = model;
        _scorer = model.CreateScorer();
        if (_pending.Count > 0)
        {
            ScoreSnapshot(nowTicks, raised);
        }
    }

    /// <summary>
    /// Takes a snapshot of the accounts with GPU use in the rolling window and hands it to the training; the accounts
    /// are scored on this snapshot once the model trained on it arrives, so an account is compared with its peers as
    /// they were at the same event time.
    /// </summary>
    public void Snapshot(IEnumerable<AccountState> accounts, int accountCount, long nowTicks, List<AnomalyDetected> raised)
    {
        if (_training is null)
        {
            return;
        }

        var stride = Math.Max(1, (accountCount + _options.MaxSnapshotAccounts - 1) / _options.MaxSnapshotAccounts);
        _pending.Clear();
        var rows = new List<float[]>(Math.Min(accountCount, _options.MaxSnapshotAccounts));
        // Each account waits on memory (a snapshot visits every account of the engine): fetch it as it is enumerated,
        // its parts two accounts later, what they point to four later, and take it six later, in enumeration order.
        var ahead = _ahead;
        Array.Clear(ahead);
        long i = 0, taken = 0;
        foreach (var account in accounts)
        {
            if (i++ % stride != 0)
            {
                continue;
            }

            Engine.CachePrefetch.Object(account, AccountState.CacheLines);
            ahead[(taken - 2) & AheadMask]?.PrefetchParts();
            ahead[(taken - 4) & AheadMask]?.PrefetchInner(nowTicks);
            ref var due = ref ahead[(taken - TakeDistance) & AheadMask];
            if (due is not null)
            {
                Take(due, nowTicks, rows);
                due = null;
            }

            ahead[taken & AheadMask] = account;
            taken++;
        }

        for (var k = Math.Max(0, taken - TakeDistance); k < taken; k++)
        {
            ref var left = ref ahead[k & AheadMask];
            Take(left!, nowTicks, rows);
            left = null;
        }

        if (rows.Count == 0 || (!_training!.AppliesMinimum && rows.Count < _options.MinimumAccounts))
        {
            _pending.Clear();
            return;
        }

        _training.Submit(_loop, new DateTimeOffset(nowTicks, TimeSpan.Zero), rows);

        // Inline training has published already: score at once, at the snapshot's own event time.
        RefreshModel(nowTicks, raised);
    }

    /// <summary>Adds one account to the snapshot; a method of its own so the JIT optimises it early (snapshots are few, accounts many).</summary>
    private void Take(AccountState account, long nowTicks, List<float[]> rows)
    {
        var rolling = account.DailySum(nowTicks);
        if (rolling <= 0 && account.Population is not { IncidentOpen: true })
        {
            return;
        }

        var row = new float[PopulationFeatures.Count];
        PopulationFeatures.Fill(account, _models, rolling * _utilization, account.RollingDays, nowTicks, _halfLifeTicks, row);
        _pending.Add((account, row));
        if (rolling > 0)
        {
            rows.Add(row);
        }
    }

    private void ScoreSnapshot(long nowTicks, List<AnomalyDetected> raised)
    {
        foreach (var (account, row) in _pending)
        {
            row.CopyTo(_features, 0);
            var score = _scorer!.Score(_features, _contributions);
            Judge(account, score, nowTicks, raised);
        }

        _pending.Clear();
    }

    private void Judge(AccountState account, PopulationScore score, long nowTicks, List<AnomalyDetected> raised)
    {
        var state = account.Population ??= new PopulationOutlierState();
        var outlier = score.TailProbability <= _options.TailProbability && score.RawScore >= _options.MinimumDistance && account.DailySum(nowTicks) > 0;
        if (outlier)
        {
            state.Flagged++;
            state.Quiet = 0;
        }
        else
        {
            state.Flagged = 0;
            state.Quiet++;
        }

        if (state.IncidentOpen)
        {
            if (state.Quiet >= _options.ResolveAfterEvaluations)
            {
                state.IncidentOpen = false;
                raised.Add(Build(account, score, state.Severity, AnomalyStatus.Resolved, nowTicks));
                return;
            }

            var severity = outlier ? SeverityOf(account) : state.Severity;
            if (severity > state.Severity)
            {
                state.Severity = severity;
                raised.Add(Build(account, score, severity, AnomalyStatus.Updated, nowTicks));
            }

            return;
        }

        if (state.Flagged >= _options.SustainedEvaluations)
        {
            state.IncidentOpen = true;
            state.IncidentNumber++;
            state.Severity = SeverityOf(account);
            raised.Add(Build(account, score, state.Severity, AnomalyStatus.Open, nowTicks));
        }
    }

    private Severity SeverityOf(AccountState account)
    {
        if (!_options.RequireCorroboration)
        {
            return Severity.Medium;
        }

        var corroborated = account.ResaleEvidence >= _corroboratingEvidence
            || _features[8] > 0.05f
            || account.Usage is { UsageIncidentOpen: true }
            || account.RollingIncidentOpen;
        return corroborated ? Severity.Medium : Severity.Low;
    }

    private AnomalyDetected Build(AccountState account, PopulationScore score, Severity severity, AnomalyStatus status, long nowTicks)
    {
        var model = _model!;
        var causes = new List<RootCause>(_options.ExplainedFeatures + 1);
        for (var k = 0; k < _options.ExplainedFeatures; k++)
        {
            var best = -1;
            for (var f = 0; f < _contributions.Length; f++)
            {
                if (_contributions[f] > 0 && (best < 0 || _contributions[f] > _contributions[best]))
                {
                    best = f;
                }
            }

            if (best < 0)
            {
                break;
            }

            causes.Add(new RootCause(PopulationFeatures.Names[best], Math.Round(_features[best], 4), Math.Round(model.Typical(best), 4), Math.Round(_contributions[best], 4)));
            _contributions[best] = 0;
        }

        causes.Add(new RootCause("population_distance", Math.Round(score.RawScore, 3), _options.MinimumDistance, 0));
        causes.Add(new RootCause("population_tail_probability", Math.Round(score.TailProbability, 6), _options.TailProbability, 0));
        var dedupKey = $"population_outlier|{account.AccountId}";
        var top = string.Join(", ", causes.Take(3).Select(c => c.Feature.Replace('_', ' ')));
        var summary = status == AnomalyStatus.Resolved
            ? string.Format(CultureInfo.InvariantCulture, "Account {0} is back within its peer population; the finding is resolved.", account.AccountId)
            : string.Format(
                CultureInfo.InvariantCulture,
                "Account {0} is unusual among {1:N0} peer accounts (only {2:P2} as unusual), mostly by {3}.",
                account.AccountId,
                model.TrainingSize,
                score.TailProbability,
                top);
        if (severity == Severity.Low && status != AnomalyStatus.Resolved)
        {
            summary += " No other signal corroborates it: recorded, not alerted.";
        }

        var incident = account.Population!.IncidentNumber;
        return new AnomalyDetected
        {
            AnomalyId = AnomalyDetected.DeriveId(dedupKey, string.Create(CultureInfo.InvariantCulture, $"{incident}|{(status == AnomalyStatus.Resolved ? "resolved" : severity.ToWireName())}")),
            AccountId = account.AccountId,
            Detector = DetectorNames.PopulationOutlier,
            EventTime = new DateTimeOffset(nowTicks, TimeSpan.Zero),
            Score = status == AnomalyStatus.Resolved ? 0 : ScoreBands.Within(ScoreBands.FromTailProbability(score.TailProbability), severity),
            Severity = severity,
            Confidence = Math.Round(Math.Clamp(1 - (score.TailProbability / _options.TailProbability / 2), 0.3, 0.9), 2),
            Summary = summary,
            RootCauses = causes,
            DedupKey = dedupKey,
            Status = status,
        };
    }
}

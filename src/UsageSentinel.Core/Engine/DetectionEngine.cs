using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Behaviour;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Detectors;
using UsageSentinel.Core.Events;
using UsageSentinel.Core.Linking;
using UsageSentinel.Core.Ports;
using UsageSentinel.Core.Sketches;
using UsageSentinel.Core.State;
using System.Buffers;

namespace UsageSentinel.Core.Engine;

/// <summary>
/// One detection loop's engine: drops duplicate events, orders events by event time within the allowed lateness,
/// keeps the per-account state and runs the detectors. Not thread-safe: exactly one loop owns an engine, and
/// accounts are sharded across engines by key. Never reads the wall clock.
/// </summary>
/// <typeparam name="TToken">What the caller attaches to each event, handed back with its outcome.</typeparam>
public sealed partial class DetectionEngine<TToken>
{
    private readonly DetectionOptions _options;
    private readonly GpuCatalog _catalog;
    private readonly IDetectionOutput<TToken> _output;
    private readonly ModelTable _models;
    private readonly TrainingScaleDetector _trainingScale;
    private readonly ResaleProxyDetector _resale;
    private readonly DeviationDetector _deviation;
    private readonly PopulationOutlierDetector _population;
    private readonly long _retrainTicks;
    private readonly long _noveltyAfterTicks;
    private readonly int _maxAccounts;
    private readonly IAccountStateStore? _stateStore;
    private readonly ArrayBufferWriter<byte> _stateBuffer = new();
    private readonly EventIdSet _seen;
    private readonly LatenessQueue<Pending> _queue = new();
    private readonly AccountTable _accounts = new();
    // Accounts to sweep in the order they joined, each with the boundary it must next be evaluated at (read here without
    // touching the account). A leaver's place stays empty until the next sweep that evaluates every account.
    private readonly List<SweepEntry> _sweepList = [];
    private readonly List<int> _visits = [];
    private int _sweepHoles;
    private long _sweepSequence;
    private bool _sweepListRestored;
    private readonly bool _deferQuiet;
    private bool _sweepEveryoneNext;
    private readonly HashSet<string> _reportedUnknownTypes = new(StringComparer.Ordinal);
    private readonly List<AnomalyDetected> _raised = [];
    private const int MaxSweepsPerGap = 24 * 14;

    /// <summary>How many accounts ahead of the visit a sweep prefetches each level of an account's state.</summary>
    private const int PrefetchDistance = 2;

    /// <summary>
    /// How many events ahead of the one offered <see cref="PrefetchAhead"/> fetches the duplicate check's and the account
    /// table's slots; the event objects twice as far, the stored account ids half as far.
    /// </summary>
    private const int OfferPrefetchDistance = 8;

    private readonly LinkGraph _links;
    private readonly int _loop;
    private readonly ILockstep? _lockstep;
    private readonly HashSet<string> _suppressedAccounts;
    private readonly long _latenessTicks;
    private readonly long _intervalTicks;
    private readonly int _rollingDays;
    private long _sequence;
    private long _maxOfferedTicks = long.MinValue;
    private long _processedTicks = long.MinValue;
    private long _nextSweepTicks = long.MinValue;
    private TToken _lastToken = default!;
    private bool _hasLastToken;

    /// <summary>Initializes a new instance of the <see cref="DetectionEngine{TToken}"/> class.</summary>
    /// <param name="options">Detection options, validated by the caller.</param>
    /// <param name="catalog">The GPU catalog.</param>
    /// <param name="output">Receives anomalies and outcomes.</param>
    /// <param name="links">
    /// The account-link graph, when several engines must share one (it is locked while used); by default the
    /// engine keeps its own.
    /// </param>
    /// <param name="population">
    /// Trains and publishes the <c>population_outlier</c> model from the engines' snapshots; without it the detector
    /// does not run.
    /// </param>
    /// <param name="loop">This engine's index among the loops sharing <paramref name="population"/>.</param>
    /// <param name="stateStore">
    /// Where accounts evicted under <see cref="DetectionOptions.MaxTrackedAccounts"/> go; an in-memory store by default.
    /// </param>
    /// <param name="counters">Counters to add to, e.g. shared by the engines one loop runs; the engine's own by default.</param>
    /// <param name="presizeDedup">
    /// Whether the duplicate-id set takes its full <see cref="DetectionOptions.DedupCapacity"/> at once, for an engine that
    /// will see at least that many events (a replay); by default it grows with the ids it holds, so each of many
    /// partition engines holds little until it needs more.
    /// </param>
    /// <param name="dedupCapacity">
    /// How many event ids the duplicate-id set keeps, when not <see cref="DetectionOptions.DedupCapacity"/>: a share of it
    /// for each of several lockstep loops, which together keep the same window of recent events.
    /// </param>
    /// <param name="lockstep">
    /// Runs the engine as one of several loops that move through event time together (see <see cref="ILockstep"/>):
    /// events offered wait for <see cref="AdvanceTo"/>, and every evaluation boundary is met by all loops at once.
    /// </param>
    public DetectionEngine(
        DetectionOptions options,
        GpuCatalog catalog,
        IDetectionOutput<TToken> output,
        LinkGraph? links = null,
        IPopulationTraining? population = null,
        int loop = 0,
        IAccountStateStore? stateStore = null,
        EngineCounters? counters = null,
        bool presizeDedup = false,
        int? dedupCapacity = null,
        ILockstep? lockstep = null)
    {
        Counters = counters ?? new EngineCounters();
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(output);
        _options = options;
        _catalog = catalog;
        _output = output;
        _models = new ModelTable(catalog);
        _trainingScale = new TrainingScaleDetector(options.TrainingScale, _models);
        _resale = new ResaleProxyDetector(options.ResaleProxy);
        _deviation = new DeviationDetector(options.Deviation, options.Suppression.PlannedActivity, _models);
        _population = new PopulationOutlierDetector(
            options.PopulationOutlier, options.ResaleProxy, options.TrainingScale.Utilization, _models, population, loop);
        _retrainTicks = options.PopulationOutlier.RetrainInterval.Ticks;
        _noveltyAfterTicks = options.Deviation.NoveltyAfter.Ticks;
        _maxAccounts = options.MaxTrackedAccounts;
        _stateStore = _maxAccounts > 0 ? stateStore ?? new InMemoryAccountStateStore() : stateStore;
        _seen = new EventIdSet(dedupCapacity ?? options.DedupCapacity, presizeDedup);
        _latenessTicks = options.AllowedLateness.Ticks;
        _intervalTicks = options.EvaluationInterval.Ticks;
        _rollingDays = (int)Math.Ceiling(options.TrainingScale.RollingWindow.TotalDays);
        _links = links ?? LinkGraph.For(options);
        _loop = loop;
        _lockstep = lockstep;
        _suppressedAccounts = new HashSet<string>(options.Suppression.Accounts, StringComparer.Ordinal);
        _deferQuiet = options.DeferQuietAccounts && _intervalTicks == TimeSpan.TicksPerHour && !output.WantsAccountUsage;
    }

    /// <summary>Gets the engine's counters.</summary>
    public EngineCounters Counters { get; }

    /// <summary>Gets the number of accounts the engine tracks.</summary>
    public int AccountCount => _accounts.Count;

    /// <summary>Gets the version of the population model in use; 0 before the first.</summary>
    public long PopulationModelVersion => _population.ModelVersion;

    /// <summary>Gets the number of events waiting for the watermark.</summary>
    public int Buffered => _queue.Count;

    /// <summary>Gets the event time up to which events have been processed.</summary>
    public DateTimeOffset? ProcessedUntil => _processedTicks == long.MinValue ? null : new DateTimeOffset(_processedTicks, TimeSpan.Zero);

    /// <summary>
    /// Offers one event. Duplicates are reported done at once; late events are applied at once; the rest wait until
    /// the newest event time offered is <see cref="DetectionOptions.AllowedLateness"/> past them, then run in
    /// event-time order (ties in offer order).
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="token">Handed back with the outcome and with anomalies it raises.</param>
    public void Offer(AccountEvent @event, TToken token) => Offer(@event, token, null);

    /// <summary>
    /// A hint for a caller offering a batch of events in order, called before offering <c>events[next]</c>: fetches into
    /// the cache what offering the events a little further on will read (the event objects, their account ids, the
    /// duplicate check's and the account table's slots, the ids those hold), so that those waits overlap this event's
    /// work. Changes nothing.
    /// </summary>
    /// <param name="events">The batch.</param>
    /// <param name="next">The index of the event offered next.</param>
    public void PrefetchAhead(ReadOnlySpan<AccountEvent> events, int next)
    {
        if (next + (2 * OfferPrefetchDistance) < events.Length)
        {
            CachePrefetch.Object(events[next + (2 * OfferPrefetchDistance)]);
        }

        if (next + OfferPrefetchDistance < events.Length)
        {
            var @event = events[next + OfferPrefetchDistance];
            CachePrefetch.Object(@event.AccountId);
            _seen.Prefetch(@event.EventIdHash, OfferPrefetchDistance);
            _accounts.PrefetchSlot(@event.AccountIdHash);
        }

        if (next + (OfferPrefetchDistance / 2) < events.Length)
        {
            // An offer only compares the stored id (the state is read when the event is processed, fetched then).
            _accounts.PrefetchAccount(events[next + (OfferPrefetchDistance / 2)].AccountIdHash, lines: 0);
        }
    }

    /// <summary>
    /// Offers one event with its input position. Besides the event-id check, an event whose effect the account's state
    /// already reflects — or that already waits — is dropped as a duplicate, even after the state was restored from a
    /// snapshot taken while other events waited: re-consuming from the committed offsets then applies each event once.
    /// </summary>
    /// <param name="event">The event.</param>
    /// <param name="token">Handed back with the outcome and with anomalies it raises.</param>
    /// <param name="input">Where the event came from.</param>
    /// <exception cref="InvalidOperationException">The engine runs in lockstep, whose loops take events without positions.</exception>
    public void Offer(AccountEvent @event, TToken token, InputOffset input)
    {
        if (_lockstep is not null)
        {
            throw new InvalidOperationException("An engine in lockstep takes events without input positions.");
        }

        Offer(@event, token, (InputOffset?)input);
    }

    private void Offer(AccountEvent @event, TToken token, InputOffset? input)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var ticks = @event.OccurredAt.UtcTicks;
        InputTrack? track = null;
        AccountState? account = null;
        var clockAdvanced = false;
        if (input is { } position)
        {
            // Every event read counts for its stream's clock, duplicates too: after a restore, events the state already
            // reflects are read again and must move the watermark as they did the first time.
            var clock = StreamClockOf(position.Stream);
            clockAdvanced = ticks > clock.MaxTicks;
            clock.MaxTicks = Math.Max(clock.MaxTicks, ticks);

            // First seen is set when the account's first event is processed, not offered: offers arrive in whatever
            // order the input streams interleave.
            account = GetAccount(@event.AccountId, @event.AccountIdHash, long.MinValue);
            track = account.Track(position.Stream);
            if (!track.TryOffer(position.Offset))
            {
                Counters.AddDuplicate();
                _output.OnEventDone(token, EventOutcome.Duplicate);
                DrainIf(clockAdvanced);
                return;
            }
        }

        if (!_seen.Add(@event.EventIdHash))
        {
            Counters.AddDuplicate();
            _output.OnEventDone(token, EventOutcome.Duplicate);
            DrainIf(clockAdvanced);
            return;
        }

        if (_processedTicks != long.MinValue && ticks < _processedTicks)
        {
            Counters.AddLate();
            var lateAccount = CurrentAccount(account, @event);
            Process(@event, token, late: true, lateAccount);
            if (input is { } late)
            {
                lateAccount.Track(late.Stream).Applied(late.Offset);
            }

            _output.OnEventDone(token, EventOutcome.Late);
            DrainIf(clockAdvanced);
            return;
        }

        if (_lockstep is not null)
        {
            // The loops' shared clock moves in AdvanceTo, never with one loop's own events.
            _accounts.TryGetValue(@event.AccountId, @event.AccountIdHash, out account);
            _queue.Enqueue(new Pending(@event, token, null, account, null), (ticks, long.MinValue, _sequence++));
            return;
        }

        _maxOfferedTicks = Math.Max(_maxOfferedTicks, ticks);
        if (input is { } at)
        {
            // Positioned input: ties in event time are broken by stream and offset, not by arrival, and the
            // watermark is the slowest stream's, so the order of processing does not depend on how the streams
            // interleaved on the way in.
            track!.Buffered.Add(at.Offset);
            _queue.Enqueue(new Pending(@event, token, input, account, track), (ticks, at.Stream, at.Offset));
            Drain(Watermark());
            return;
        }

        // Without input positions an account is created when its first event is processed (that order decides the
        // accounts' order, and with it sampled snapshots); a known one is looked up once, here.
        _accounts.TryGetValue(@event.AccountId, @event.AccountIdHash, out account);
        _queue.Enqueue(new Pending(@event, token, input, account, null), (ticks, long.MinValue, _sequence++));
        Drain(_maxOfferedTicks - _latenessTicks);
    }

    /// <summary>
    /// Lockstep only: moves the loops' shared clock to <paramref name="clockTicks"/>, the newest event time offered to
    /// any loop, and processes what it releases. Each evaluation boundary the watermark passes is met, after the events
    /// before it and before those at or after it, through <see cref="ILockstep.AtBoundary"/>, whether or not this loop
    /// has events there, so all loops sweep the same boundaries in the same order.
    /// </summary>
    /// <param name="clockTicks">The newest event time offered to any loop, UTC ticks.</param>
    /// <param name="earliestTicks">The oldest event time offered to any loop, UTC ticks: where the boundaries start.</param>
    /// <param name="final">Whether the input has ended: every waiting event is released.</param>
    public void AdvanceTo(long clockTicks, long earliestTicks, bool final = false)
    {
        if (_lockstep is null)
        {
            throw new InvalidOperationException("Only an engine created with a lockstep advances by a shared clock.");
        }

        _maxOfferedTicks = Math.Max(_maxOfferedTicks, clockTicks);
        if (_maxOfferedTicks == long.MinValue || earliestTicks == long.MaxValue)
        {
            return;
        }

        var watermark = final ? _maxOfferedTicks : _maxOfferedTicks - _latenessTicks;
        if (watermark < earliestTicks)
        {
            return;
        }

        if (_nextSweepTicks == long.MinValue)
        {
            _nextSweepTicks = NextBoundary(earliestTicks);
        }

        while (true)
        {
            // Events before the next boundary first (an event at the boundary comes after its sweep, as when one loop runs).
            Drain(Math.Min(watermark, _nextSweepTicks - 1));
            if (_nextSweepTicks > watermark)
            {
                return;
            }

            var boundary = _nextSweepTicks;
            _lockstep.AtBoundary(_loop, boundary);
            SweepBoundary(boundary, _lastToken);
            _nextSweepTicks = boundary + _intervalTicks;
        }
    }

    /// <summary>
    /// Lockstep only, after the last <see cref="AdvanceTo"/> (final): evaluates all accounts at
    /// <paramref name="lastTicks"/>, the newest event time of the whole input, as <see cref="Flush"/> does for one loop.
    /// </summary>
    /// <param name="lastTicks">The newest event time offered to any loop, UTC ticks.</param>
    public void FinishLockstep(long lastTicks)
    {
        if (_lockstep is null)
        {
            throw new InvalidOperationException("Only an engine created with a lockstep finishes by a shared clock.");
        }

        Drain(long.MaxValue);
        if (_hasLastToken)
        {
            Sweep(lastTicks, _lastToken, everyone: true);
        }
    }

    /// <summary>Processes every waiting event and evaluates all accounts at the newest event time: the end of input.</summary>
    public void Flush()
    {
        Drain(long.MaxValue);
        if (_processedTicks != long.MinValue && _hasLastToken)
        {
            Sweep(_processedTicks, _lastToken, everyone: true);
        }
    }

    /// <summary>Summarises one account's compute, accrued to the event time processed so far.</summary>
    /// <param name="accountId">The account.</param>
    /// <returns>The summary, or <see langword="null"/> when the engine has not seen the account.</returns>
    public AccountComputeSummary? Inspect(string accountId)
    {
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            return null;
        }

        if (_processedTicks != long.MinValue)
        {
            if (_hasLastToken)
            {
                CatchUp(account, BoundaryAtOrBefore(_processedTicks), _lastToken);
            }

            AccrueAccount(account, _processedTicks);
        }

        return Summarise(account);
    }

    /// <summary>
    /// Writes one account's complete detection state (<see cref="AccountStateCodec"/>): the hook the state store uses
    /// to snapshot an account to its changelog topic. Engine-wide state is not included: the event-time watermark and
    /// sweep boundary, waiting events, the duplicate filter, the link graph, peer priors and the population model.
    /// </summary>
    /// <param name="accountId">The account.</param>
    /// <param name="output">Receives the bytes.</param>
    /// <returns><see langword="false"/>, writing nothing, when the engine has not seen the account.</returns>
    internal bool TryExportAccount(string accountId, IBufferWriter<byte> output)
    {
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            return false;
        }

        AccountStateCodec.Write(account, _models, output);
        return true;
    }

    /// <summary>
    /// Restores one account's state written by <see cref="TryExportAccount"/> (by this or another engine), replacing
    /// any state the engine has for it: the hook the state store uses to restore accounts from the changelog topic
    /// before the loop consumes. An account that was due for sweeps is swept again. Emits nothing.
    /// </summary>
    /// <param name="data">One account's bytes.</param>
    /// <returns>The account id.</returns>
    /// <exception cref="InvalidDataException">
    /// The bytes are truncated, corrupt or of a newer format; the engine is unchanged, but for unknown GPU model names
    /// its model table may have learnt.
    /// </exception>
    internal string ImportAccount(ReadOnlySpan<byte> data) => Import(data).AccountId;

    private AccountState Import(ReadOnlySpan<byte> data)
    {
        var account = AccountStateCodec.Read(data, _models, _options);
        if (_accounts.Remove(account.AccountId, out var existing))
        {
            existing.Detached = true;
        }

        if (existing is { InSweepList: true })
        {
            LeaveSweepList(existing);
        }

        _accounts.Add(account);
        _sweepSequence = Math.Max(_sweepSequence, account.SweepOrder);
        if (account.InSweepList)
        {
            JoinSweepList(account);
            _sweepListRestored = true;
        }

        return account;
    }

    private AccountComputeSummary Summarise(AccountState account)
    {
        ref readonly var compute = ref account.Compute;
        var byModel = new List<KeyValuePair<string, double>>();
        for (var m = 0; m < compute.GpuSecondsByModel.Length; m++)
        {
            if (compute.GpuSecondsByModel[m] > 0)
            {
                byModel.Add(new(_models[m].Name, compute.GpuSecondsByModel[m] / 3600));
            }
        }

        var utilization = _options.TrainingScale.Utilization;
        var accrued = compute.AccruedUntilTicks == long.MinValue ? (DateTimeOffset?)null : new DateTimeOffset(compute.AccruedUntilTicks, TimeSpan.Zero);
        return new AccountComputeSummary(
            account.AccountId,
            accrued,
            compute.GpuSeconds / 3600,
            byModel,
            compute.PeakFlop * utilization,
            compute.AccruedUntilTicks == long.MinValue ? 0 : account.DailySum(compute.AccruedUntilTicks) * utilization,
            compute.RunningGpus,
            compute.PeakGpus,
            account.OpenInstances.Count,
            account.RunCount,
            account.Allowlisted);
    }

    private void Drain(long watermarkTicks)
    {
        while (_queue.TryDequeue(watermarkTicks, out var pending))
        {
            // An event waits on its account's memory: fetch the accounts of the events four ahead, then their parts.
            ref readonly var far = ref _queue.PeekAhead((2 * PrefetchDistance) - 1);
            if (!Unsafe.IsNullRef(in far))
            {
                CachePrefetch.Object(far.Account, AccountState.CacheLines);
            }

            ref readonly var near = ref _queue.PeekAhead(PrefetchDistance - 1);
            if (!Unsafe.IsNullRef(in near))
            {
                near.Account?.PrefetchParts();
            }

            var account = CurrentAccount(pending.Account, pending.Event);
            Process(pending.Event, pending.Token, late: false, account);
            if (pending.Input is { } input)
            {
                (ReferenceEquals(account, pending.Account) ? pending.Track! : account.Track(input.Stream)).Applied(input.Offset);
            }

            _output.OnEventDone(pending.Token, EventOutcome.Processed);
        }
    }

    /// <summary>
    /// The account an event looked up when offered, or, when that one has left the engine since (evicted to the state
    /// store, or replaced by a restore), the account as it is now.
    /// </summary>
    private AccountState CurrentAccount(AccountState? offered, AccountEvent @event) =>
        offered is null || offered.Detached ? GetAccount(@event.AccountId, @event.AccountIdHash, @event.OccurredAt.UtcTicks) : offered;

    private void Process(AccountEvent @event, TToken token, bool late, AccountState account)
    {
        var ticks = @event.OccurredAt.UtcTicks;
        if (!late)
        {
            if (_nextSweepTicks == long.MinValue)
            {
                _nextSweepTicks = NextBoundary(ticks);
            }
            else if (ticks >= _nextSweepTicks)
            {
                // Evaluate at every boundary passed, so a crossing is raised at the event time it happened even when
                // no event arrived in between; after a long silence, jump to the last boundaries.
                var last = ticks - (ticks % _intervalTicks);
                var boundary = Math.Max(_nextSweepTicks, last - ((MaxSweepsPerGap - 1) * _intervalTicks));
                if (boundary > _nextSweepTicks)
                {
                    // Boundaries are skipped: carry passed-over accounts up to the last one swept, evaluate all at the next.
                    CatchUpAll(BoundaryAtOrBefore(_processedTicks), token);
                    _sweepEveryoneNext = true;
                }

                for (; boundary <= last; boundary += _intervalTicks)
                {
                    SweepBoundary(boundary, token);
                }

                _nextSweepTicks = NextBoundary(ticks);
            }

            _processedTicks = ticks;
        }

        _lastToken = token;
        _hasLastToken = true;
        Counters.AddProcessed();
        MarkChanged(account);
        if (account.InSweepList && _nextSweepTicks != long.MinValue)
        {
            // Bring a passed-over account up to the sweeps it missed, and have the next one evaluate it: any event but a
            // charge can move a bound (charges are judged as they come, and no hourly evaluation reads them).
            // _nextSweepTicks follows the boundary after the processed time, so the one before is the last swept.
            CatchUp(account, _nextSweepTicks - _intervalTicks, token);
            if (account.WakeTicks != long.MinValue && account.InSweepList && @event is not UsageBilled)
            {
                Wake(account);
            }
        }

        if (account.FirstSeenTicks == long.MinValue)
        {
            account.FirstSeenTicks = ticks;
        }

        account.LastEventTicks = Math.Max(account.LastEventTicks, ticks);
        var now = Math.Max(ticks, account.Compute.AccruedUntilTicks);
        switch (@event)
        {
            case InstanceLaunched launched:
                AccrueAccount(account, now);
                Launch(account, launched);
                ObserveLaunch(account, launched, ticks);
                Link(account, LinkKind.SshKey, launched.SshKeyFingerprint);
                if (launched.PayerAccountId is { } payer && !string.Equals(payer, account.AccountId, StringComparison.Ordinal))
                {
                    Link(account, LinkKind.PayerAccount, payer);
                }

                if (launched.Caller?.SourceIp is { } ip)
                {
                    LinkSourceNetwork(account, ip);
                }

                break;
            case InstanceTerminated terminated:
                AccrueAccount(account, now);
                Terminate(account, terminated);
                break;
            case InstanceAccessed access:
                ObserveAccess(account, access.PrincipalId, access.SourceCountry, access.SourceAsn, access.Anonymizer, ticks);
                return;
            case AccountUpserted profile:
                ApplyProfile(account, profile);
                Link(account, LinkKind.EmailDomain, profile.EmailDomain);
                Link(account, LinkKind.ParentAccount, profile.ParentAccountId);
                return;
            case UsageBilled charge:
                _deviation.AddCharge(account, charge.Amount, ticks, _raised);
                Emit(token);
                return;
            case PaymentMade payment:
                Link(account, LinkKind.PaymentFingerprint, payment.Method?.Fingerprint);
                ObservePayment(account, payment, ticks);
                return;
            default:
                return;
        }

        Evaluate(account, now, token);
        EnsureSwept(account);
    }

    /// <summary>The evaluation at one boundary, and the population snapshot when it is a retraining boundary.</summary>
    private void SweepBoundary(long boundary, TToken token)
    {
        Sweep(boundary, token, everyone: false);
        if (_population.IsActive && boundary % _retrainTicks == 0)
        {
            _population.Snapshot(_accounts.Values, _accounts.Count, boundary, _raised);
            Emit(token);
            if (_lockstep is not null)
            {
                // Every loop's snapshot is in: the model trained on all of them is published before any loop goes on,
                // and each scores its own accounts at the snapshot's event time, as one loop would.
                _lockstep.AfterSnapshot(_loop, boundary);
                _population.RefreshModel(boundary, _raised);
                Emit(token);
            }
        }
    }

    /// <summary>
    /// Evaluates the accounts due at <paramref name="atTicks"/>: every account in the list when <paramref name="everyone"/>
    /// or when quiet accounts are never passed over; otherwise those woken by an event or whose wake time has come, the
    /// others being carried through this boundary at the daily boundaries (<see cref="IsDailyBoundary"/>). A visited
    /// account first catches up the boundaries it was passed over at.
    /// </summary>
    private void Sweep(long atTicks, TToken token, bool everyone)
    {
        _population.RefreshModel(atTicks, _raised);
        Emit(token);
        if (_sweepListRestored)
        {
            // Restored accounts joined in restore order; sweep them in the order they originally joined.
            _sweepList.Sort(static (a, b) => a.Account is null || b.Account is null
                ? (a.Account is null).CompareTo(b.Account is null)
                : a.Account.SweepOrder != b.Account.SweepOrder ? a.Account.SweepOrder.CompareTo(b.Account.SweepOrder) : string.CompareOrdinal(a.Account.AccountId, b.Account.AccountId));
            CompactSweepList();
            _sweepListRestored = false;
        }

        everyone |= !_deferQuiet || _sweepEveryoneNext || atTicks % _intervalTicks != 0;
        _sweepEveryoneNext = false;

        // At a daily boundary every account takes its turn, in list order: passed-over ones are carried through this
        // boundary too, so peers learn from each account in the same order as when all are evaluated, and the
        // population snapshot sees every account's figures (and resale evidence) as of this boundary.
        var daily = !everyone && IsDailyBoundary(atTicks);
        var snapshot = daily && _population.IsActive && atTicks % _retrainTicks == 0;
        var entries = CollectionsMarshal.AsSpan(_sweepList);
        _visits.Clear();
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Account is not null && (everyone || daily || entries[i].WakeTicks <= atTicks))
            {
                _visits.Add(i);
            }
        }

        var count = _visits.Count;
        var visits = CollectionsMarshal.AsSpan(_visits);
        var evaluated = 0;
        var caughtUpTo = BoundaryAtOrBefore(atTicks - 1);
        for (var v = 0; v < count; v++)
        {
            // Visits wait on memory: fetch accounts ahead of use, each level once the one pointing to it is in.
            if (v + (3 * PrefetchDistance) < count)
            {
                CachePrefetch.Object(entries[visits[v + (3 * PrefetchDistance)]].Account, AccountState.CacheLines);
            }

            if (v + (2 * PrefetchDistance) < count)
            {
                entries[visits[v + (2 * PrefetchDistance)]].Account!.PrefetchParts();
            }

            if (v + PrefetchDistance < count)
            {
                entries[visits[v + PrefetchDistance]].Account!.PrefetchInner(atTicks);
            }

            ref var entry = ref entries[visits[v]];
            var account = entry.Account!;
            if (!everyone && entry.WakeTicks > atTicks)
            {
                CatchUp(account, atTicks, token);
                if (snapshot && account.InSweepList)
                {
                    EvaluateBehaviour(account, atTicks, token);
                }

                continue;
            }

            CatchUp(account, caughtUpTo, token);
            if (!account.InSweepList)
            {
                continue;
            }

            evaluated++;
            Visit(account, atTicks, token);
            if (account.NeedsSweep)
            {
                account.WakeTicks = NextWake(account, atTicks);
                entry.WakeTicks = account.WakeTicks;
            }
            else
            {
                LeaveSweepList(account);
            }
        }

        Counters.AddSweepVisits(evaluated);
        if ((everyone || daily) && _sweepHoles > 0)
        {
            CompactSweepList();
        }

        // Groups are judged once every account of this evaluation has its figures in; each group by one loop only.
        lock (_links)
        {
            _links.EvaluateGroups(_loop, atTicks, _raised);
        }

        Emit(token);
    }

    /// <summary>One account's evaluation at a boundary; a method of its own so the JIT optimises it early (sweeps are few).</summary>
    private void Visit(AccountState account, long atTicks, TToken token)
    {
        MarkChanged(account);
        AccrueAccount(account, atTicks);
        RetireRuns(account, atTicks);
        Evaluate(account, atTicks, token);
        EvaluateBehaviour(account, atTicks, token);
        _deviation.EvaluateHour(account, atTicks, _raised);
        Emit(token);
        UpdateLinks(account, atTicks, token);
        if (_output.WantsAccountUsage)
        {
            _output.OnAccountEvaluated(Summarise(account), account.Usage?.SpendToday ?? 0);
        }
    }

    /// <summary>
    /// The first boundary at which an account evaluated at <paramref name="nowTicks"/> must be evaluated again if no
    /// event comes: the next one, unless every detector can bound when its findings could change.
    /// </summary>
    private long NextWake(AccountState account, long nowTicks)
    {
        if (!_deferQuiet
            || account.ResaleIncidentOpen
            || !_resale.CannotAlertWithoutEvents(account)
            || !_deviation.QuietWhileSteady(account, nowTicks)
            || LinkedToOthers(account))
        {
            return long.MinValue;
        }

        var until = _trainingScale.QuietUntil(account, nowTicks);
        if (account.RunsIfAny is { } runs)
        {
            // A run over retires at the first visit past the resume gap, and may take the account off the list.
            var gap = _options.TrainingScale.RunResumeGap.Ticks;
            foreach (var run in runs)
            {
                if (run.OpenInstances == 0 && run.EndedTicks != long.MinValue)
                {
                    until = Math.Min(until, run.EndedTicks + gap);
                }
            }
        }

        if (until == long.MaxValue)
        {
            return long.MaxValue;
        }

        var wake = BoundaryAtOrBefore(until);
        return wake <= nowTicks ? long.MinValue : wake;
    }

    private bool LinkedToOthers(AccountState account)
    {
        if (account.LinkMember < 0)
        {
            return false;
        }

        lock (_links)
        {
            return _links.IsGrouped(account.LinkMember);
        }
    }

    /// <summary>
    /// Carries a passed-over account through the boundaries after its last accrual up to <paramref name="untilTicks"/>,
    /// in order, with the hourly bookkeeping a sweep visit does there (accrual, retired runs, duty hours, usage baseline);
    /// the evaluations skipped could not raise anything, by <see cref="NextWake"/>.
    /// </summary>
    private void CatchUp(AccountState account, long untilTicks, TToken token)
    {
        var accrued = account.Compute.AccruedUntilTicks;
        if (!account.InSweepList || accrued == long.MinValue || accrued >= untilTicks)
        {
            return;
        }

        var from = Math.Max(BoundaryAtOrBefore(accrued) + _intervalTicks, untilTicks - ((MaxSweepsPerGap - 1) * _intervalTicks));
        if (from > untilTicks)
        {
            return;
        }

        MarkChanged(account);
        var behaviour = BehaviourOf(account);
        var hours = 0;
        for (var b = from; b <= untilTicks; b += _intervalTicks)
        {
            AccrueAccount(account, b);
            RetireRuns(account, b);
            behaviour.RecordDutyHour(b - TimeSpan.TicksPerHour, account.Compute.RunningGpus > 0);
            _deviation.EvaluateHour(account, b, _raised);
            hours++;
            if (!account.NeedsSweep)
            {
                // Not expected (the wake time covers retirements): leave as a visit at this boundary would have.
                LeaveSweepList(account);
                break;
            }
        }

        Counters.AddPassedOver(hours);
        Emit(token);
    }

    private void CatchUpAll(long untilTicks, TToken token)
    {
        foreach (var entry in _sweepList)
        {
            if (entry.Account is { } account)
            {
                CatchUp(account, untilTicks, token);
            }
        }
    }

    /// <summary>Whether every account takes its turn at this boundary: peers learn at the first hour of a day, and the population model snapshots accounts.</summary>
    private bool IsDailyBoundary(long atTicks) =>
        ((atTicks / TimeSpan.TicksPerHour) - 1) % 24 == 0 || (_population.IsActive && atTicks % _retrainTicks == 0);

    private void Wake(AccountState account)
    {
        account.WakeTicks = long.MinValue;
        CollectionsMarshal.AsSpan(_sweepList)[account.SweepIndex].WakeTicks = long.MinValue;
    }

    private void JoinSweepList(AccountState account)
    {
        account.InSweepList = true;
        account.SweepIndex = _sweepList.Count;
        _sweepList.Add(new SweepEntry { Account = account, WakeTicks = account.WakeTicks });
    }

    private void LeaveSweepList(AccountState account)
    {
        CollectionsMarshal.AsSpan(_sweepList)[account.SweepIndex] = default;
        _sweepHoles++;
        account.InSweepList = false;
        account.SweepIndex = -1;
        account.WakeTicks = long.MinValue;
    }

    private void CompactSweepList()
    {
        var entries = CollectionsMarshal.AsSpan(_sweepList);
        var write = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Account is { } account)
            {
                account.SweepIndex = write;
                entries[write++] = entries[i];
            }
        }

        _sweepList.RemoveRange(write, _sweepList.Count - write);
        _sweepHoles = 0;
    }

    private long BoundaryAtOrBefore(long ticks) => ticks - (((ticks % _intervalTicks) + _intervalTicks) % _intervalTicks);

    private void Evaluate(AccountState account, long nowTicks, TToken token)
    {
        _trainingScale.Evaluate(account, nowTicks, _raised);
        Emit(token);
    }

    private AccountBehaviour BehaviourOf(AccountState account) =>
        account.Behaviour ??= new AccountBehaviour(_options.ResaleProxy.WindowDays, _options.ResaleProxy.ShareHalfLife);

    private void ObserveAccess(AccountState account, string? principal, string? country, long? asn, bool? anonymizer, long ticks)
    {
        var behaviour = BehaviourOf(account);
        var halfLife = _resale.HalfLifeTicks;
        var established = ticks - account.FirstSeenTicks >= _noveltyAfterTicks;
        if (principal is not null)
        {
            behaviour.Principals.Add(principal, ticks);
            if (behaviour.KnownPrincipals.AddIsNew(principal) && established)
            {
                behaviour.NewPrincipalTicks = Math.Max(behaviour.NewPrincipalTicks, ticks);
            }
        }

        if (country is not null)
        {
            behaviour.Countries.Add(country, ticks);
            if (behaviour.SourceCountries.AddIsNew(country) && established)
            {
                behaviour.NewSourceCountryTicks = Math.Max(behaviour.NewSourceCountryTicks, ticks);
            }
        }

        if (asn is { } number)
        {
            behaviour.Asns.Add(StableHash.Mix(unchecked((ulong)number)), ticks);
        }

        behaviour.Access.Add(1, ticks, halfLife);
        if (_resale.IsRestricted(country))
        {
            behaviour.RestrictedAccess.Add(1, ticks, halfLife);
        }

        if (anonymizer == true)
        {
            behaviour.AnonymizerAccess.Add(1, ticks, halfLife);
        }

        behaviour.AddActivity(ticks);
    }

    private void ObserveLaunch(AccountState account, InstanceLaunched launched, long ticks)
    {
        var caller = launched.Caller;
        if (caller is not null)
        {
            ObserveAccess(account, caller.PrincipalId, caller.SourceCountry, caller.SourceAsn, caller.Anonymizer, ticks);
        }

        var behaviour = BehaviourOf(account);
        var halfLife = _resale.HalfLifeTicks;
        if (launched.SshKeyFingerprint is { } key)
        {
            behaviour.SshKeys.Add(key, ticks);
        }

        behaviour.Launches.Add(1, ticks, halfLife);
        var established = ticks - account.FirstSeenTicks >= _noveltyAfterTicks;
        if (behaviour.Regions.AddIsNew(launched.Region) && established)
        {
            behaviour.NewRegionTicks = Math.Max(behaviour.NewRegionTicks, ticks);
        }

        if ((launched.GpuModel ?? (_catalog.TryGetInstanceType(launched.InstanceType, out var type) ? type.GpuModel.Name : null)) is { } model
            && behaviour.GpuModels.AddIsNew(model) && established)
        {
            behaviour.NewGpuModelTicks = Math.Max(behaviour.NewGpuModelTicks, ticks);
        }
        if (launched.PayerAccountId is { } payer && !string.Equals(payer, account.AccountId, StringComparison.Ordinal))
        {
            behaviour.PayerMismatchLaunches.Add(1, ticks, halfLife);
        }

        if (launched.ResellerId is not null)
        {
            behaviour.DeclaredReseller = true;
        }
    }

    private void ObservePayment(AccountState account, PaymentMade payment, long ticks)
    {
        var behaviour = BehaviourOf(account);
        var halfLife = _resale.HalfLifeTicks;
        if (payment.Method?.Fingerprint is { } fingerprint)
        {
            behaviour.PaymentFingerprints.Add(fingerprint, ticks);
        }

        behaviour.Payments.Add(1, ticks, halfLife);
        if (payment.Method?.Kind is "prepaid" or "crypto")
        {
            behaviour.RiskyPayments.Add(1, ticks, halfLife);
        }

        if (payment.ThirdParty == true)
        {
            behaviour.ThirdPartyPayments.Add(1, ticks, halfLife);
        }

        if (_resale.IsRestricted(payment.Method?.IssuerCountry) || _resale.IsRestricted(payment.PayerCountry))
        {
            behaviour.RestrictedPayments.Add(1, ticks, halfLife);
        }
    }

    private void EvaluateBehaviour(AccountState account, long nowTicks, TToken token)
    {
        var behaviour = BehaviourOf(account);
        behaviour.RecordDutyHour(nowTicks - TimeSpan.TicksPerHour, account.Compute.RunningGpus > 0);
        account.ResaleEvidence = _resale.Evaluate(account, behaviour, nowTicks, _raised);
        Emit(token);
    }

    private void Link(AccountState account, LinkKind kind, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_links)
        {
            _links.Observe(ref account.LinkMember, account.AccountId, _loop, kind, value);
        }
    }

    /// <summary>Links by the caller's network; a dotted-quad address's network is hashed from a stack buffer.</summary>
    private void LinkSourceNetwork(AccountState account, string address)
    {
        Span<char> network = stackalloc char[SourceNetwork.MaxFastLength];
        if (!SourceNetwork.TryWrite(address, network, out var length))
        {
            Link(account, LinkKind.SourceNetwork, SourceNetwork.Of(address));
            return;
        }

        lock (_links)
        {
            _links.Observe(ref account.LinkMember, account.AccountId, _loop, LinkKind.SourceNetwork, network[..length]);
        }
    }

    private void UpdateLinks(AccountState account, long nowTicks, TToken token)
    {
        var rolling = account.DailySum(nowTicks) * _options.TrainingScale.Utilization;
        lock (_links)
        {
            _links.UpdateFigures(ref account.LinkMember, account.AccountId, _loop, rolling, account.Compute.RunningGpus, account.ResaleEvidence, nowTicks, _raised);
        }

        Emit(token);
    }

    private void Emit(TToken token)
    {
        if (_raised.Count == 0)
        {
            return;
        }

        foreach (var anomaly in _raised)
        {
            if (_suppressedAccounts.Contains(anomaly.AccountId))
            {
                Counters.AddSuppressed();
                continue;
            }

            Counters.AddAnomalies(1);
            _output.OnAnomaly(anomaly, token);
        }

        _raised.Clear();
    }

    private void RetireRuns(AccountState account, long nowTicks)
    {
        var gap = _options.TrainingScale.RunResumeGap.Ticks;
        for (var i = account.RunCount - 1; i >= 0; i--)
        {
            var run = account.Runs[i];
            if (run.OpenInstances == 0 && run.EndedTicks != long.MinValue && nowTicks - run.EndedTicks > gap)
            {
                _trainingScale.Retire(account, run, nowTicks, _raised);
                account.Runs.RemoveAt(i);
            }
        }
    }

    private static void AccrueAccount(AccountState account, long ticks)
    {
        account.Compute.AccrueTo(ticks, account);
        if (account.RunsIfAny is { } runs)
        {
            foreach (var run in runs)
            {
                run.Compute.AccrueTo(ticks, null);
            }
        }
    }

    private void Launch(AccountState account, InstanceLaunched launched)
    {
        if (account.OpenInstances.Contains(launched.InstanceId))
        {
            Counters.AddDuplicateLaunch();
            return;
        }

        var (model, gpus) = Resolve(launched);
        var modelIndex = _models.IndexOf(model);
        var ticks = launched.OccurredAt.UtcTicks;
        var run = FindOrStartRun(account, launched, ticks);
        run.AddEvidence(launched.EventId);
        var peak = model.PeakFlopsPerSecond;

        if (account.OrphanTerminationsIfAny is { } orphans && orphans.Remove(launched.InstanceId, out var terminatedTicks))
        {
            // The termination arrived first: account the closed interval and keep nothing open.
            account.Compute.AddClosed(modelIndex, gpus, peak, ticks, terminatedTicks, account);
            run.Compute.AddClosed(modelIndex, gpus, peak, ticks, terminatedTicks, null);
            if (run.OpenInstances == 0)
            {
                run.EndedTicks = Math.Max(run.EndedTicks, terminatedTicks);
            }

            return;
        }

        account.Compute.Start(modelIndex, gpus, peak, ticks, account);
        run.Compute.Start(modelIndex, gpus, peak, ticks, null);
        run.OpenInstances++;
        run.EndedTicks = long.MinValue;
        run.LastLaunchTicks = Math.Max(run.LastLaunchTicks, ticks);
        if (account.ActiveSinceTicks == long.MinValue || ticks < account.ActiveSinceTicks)
        {
            account.ActiveSinceTicks = ticks;
        }

        // Not open (checked on entry), so the set takes it.
        account.OpenInstances.TryAdd(new OpenInstance
        {
            InstanceId = launched.InstanceId,
            ModelIndex = modelIndex,
            Gpus = gpus,
            PeakFlopsPerGpu = peak,
            LaunchedTicks = ticks,
            Run = run,
        });
    }

    private void Terminate(AccountState account, InstanceTerminated terminated)
    {
        var ticks = terminated.OccurredAt.UtcTicks;
        if (!account.OpenInstances.Remove(terminated.InstanceId, out var instance))
        {
            Counters.AddTerminationWithoutLaunch();
            if (account.OrphanTerminations.Count >= AccountState.MaxOrphanTerminations)
            {
                // The oldest goes (then the smallest id): not the dictionary's first, which depends on its history.
                var oldest = account.OrphanTerminations.MinBy(o => (o.Value, o.Key), OrphanOrder.Instance).Key;
                account.OrphanTerminations.Remove(oldest);
            }

            account.OrphanTerminations[terminated.InstanceId] = ticks;
            return;
        }

        ticks = Math.Max(ticks, instance.LaunchedTicks);
        account.Compute.Stop(instance.ModelIndex, instance.Gpus, instance.PeakFlopsPerGpu, ticks, account);
        var run = instance.Run;
        run.Compute.Stop(instance.ModelIndex, instance.Gpus, instance.PeakFlopsPerGpu, ticks, null);
        run.OpenInstances--;
        if (run.OpenInstances == 0)
        {
            run.EndedTicks = ticks;
        }

        if (account.Compute.RunningGpus == 0)
        {
            account.ActiveSinceTicks = long.MinValue;
        }
    }

    private ComputeRun FindOrStartRun(AccountState account, InstanceLaunched launched, long ticks)
    {
        var runs = account.Runs;
        var window = _options.TrainingScale.CoLocationWindow.Ticks;
        for (var i = runs.Count - 1; i >= 0; i--)
        {
            var run = runs[i];
            if (!string.Equals(run.Region, launched.Region, StringComparison.Ordinal))
            {
                continue;
            }

            if (launched.PlacementGroup is not null)
            {
                if (string.Equals(run.PlacementGroup, launched.PlacementGroup, StringComparison.Ordinal))
                {
                    run.MarkStarted(ticks);
                    return run;
                }
            }
            else if (run.PlacementGroup is null && run.OpenInstances > 0 && ticks - run.LastLaunchTicks <= window && ticks >= run.StartTicks - window)
            {
                return run;
            }
        }

        var started = ComputeRun.StartedBy(launched.InstanceId, launched.Region, launched.PlacementGroup, ticks);
        runs.Add(started);
        return started;
    }

    private (GpuModelSpec Model, int Gpus) Resolve(InstanceLaunched launched)
    {
        var knownType = _catalog.TryGetInstanceType(launched.InstanceType, out var typeSpec);
        GpuModelSpec? model = null;
        if (launched.GpuModel is { } named)
        {
            model = _catalog.TryGetModel(named, out var spec) ? spec : GpuModelSpec.Unknown(named);
        }

        model ??= knownType ? typeSpec.GpuModel : GpuModelSpec.Unknown("unknown");
        var gpus = launched.GpuCount ?? (knownType ? typeSpec.GpuCount : 0);
        if (!knownType)
        {
            Counters.AddUnknownInstanceType();
            if (_reportedUnknownTypes.Add(launched.InstanceType))
            {
                _output.OnUnknownInstanceType(launched.InstanceType, launched.GpuModel);
            }
        }

        return (model, gpus);
    }

    private static void ApplyProfile(AccountState account, AccountUpserted profile)
    {
        account.Allowlisted = profile.Allowlisted ?? account.Allowlisted;
        account.DeclaredCountry = profile.DeclaredCountry ?? account.DeclaredCountry;
        account.KycStatus = profile.KycStatus ?? account.KycStatus;
        account.EntityType = profile.EntityType ?? account.EntityType;
        account.CreatedAt = profile.CreatedAt ?? account.CreatedAt;
    }

    private AccountState GetAccount(string accountId, ulong accountIdHash, long ticks)
    {
        if (_accounts.TryGetValue(accountId, accountIdHash, out var account))
        {
            MarkChanged(account);
            return account;
        }

        _stateBuffer.Clear();
        if (_stateStore is not null && _stateStore.TryTake(accountId, _stateBuffer))
        {
            account = Import(_stateBuffer.WrittenSpan);
            if (!string.Equals(account.AccountId, accountId, StringComparison.Ordinal))
            {
                throw new InvalidDataException("The state store returned the state of another account than the one asked for.");
            }

            Counters.AddReloaded();
        }
        else
        {
            account = new AccountState(accountId, _rollingDays, _trainingScale.TierCount) { FirstSeenTicks = ticks };
            _accounts.Add(account);
        }

        if (_maxAccounts > 0 && _accounts.Count > _maxAccounts)
        {
            EvictColdAccounts(account, ticks);
        }

        MarkChanged(account);
        return account;
    }

    /// <summary>
    /// Evicts the coldest 10 % of the cap (by last event time, then id: deterministic) among accounts no sweep needs,
    /// to the state store. While a population snapshot waits for its model, accounts in it stay.
    /// </summary>
    private void EvictColdAccounts(AccountState keep, long nowTicks)
    {
        var target = _maxAccounts - Math.Max(1, _maxAccounts / 10);
        var candidates = new List<AccountState>();
        foreach (var account in _accounts.Values)
        {
            if (!ReferenceEquals(account, keep) && !account.InSweepList && !account.NeedsSweep
                && !(_population.HasPendingSnapshot && account.DailySum(nowTicks) > 0))
            {
                candidates.Add(account);
            }
        }

        candidates.Sort(static (a, b) =>
        {
            var byTime = a.LastEventTicks.CompareTo(b.LastEventTicks);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.AccountId, b.AccountId);
        });
        var evict = Math.Min(candidates.Count, _accounts.Count - target);
        for (var i = 0; i < evict; i++)
        {
            var account = candidates[i];
            _stateBuffer.Clear();
            AccountStateCodec.Write(account, _models, _stateBuffer);
            _stateStore!.Save(account.AccountId, _stateBuffer.WrittenSpan);
            KeepEvictedChange(account, _stateBuffer.WrittenSpan);
            _accounts.Remove(account.AccountId, out _);
            account.Detached = true;
            Counters.AddEvicted();
        }

        if (_accounts.Count > _maxAccounts)
        {
            Counters.AddCapExceeded();
        }
    }

    private void EnsureSwept(AccountState account)
    {
        if (!account.InSweepList && account.NeedsSweep)
        {
            account.SweepOrder = ++_sweepSequence;
            account.WakeTicks = long.MinValue;
            JoinSweepList(account);
        }
    }

    private long NextBoundary(long ticks) => ticks - (ticks % _intervalTicks) + _intervalTicks;

    /// <summary>A waiting event, with the account (and, for positioned input, the stream's track) it looked up when offered.</summary>
    /// <summary>An account in the sweep list, or an empty place, with the boundary it is due at.</summary>
    private struct SweepEntry
    {
        public AccountState? Account;
        public long WakeTicks;
    }

    private readonly record struct Pending(AccountEvent Event, TToken Token, InputOffset? Input, AccountState? Account, InputTrack? Track);

    private sealed class OrphanOrder : IComparer<(long Ticks, string Id)>
    {
        public static readonly OrphanOrder Instance = new();

        public int Compare((long Ticks, string Id) x, (long Ticks, string Id) y)
        {
            var byTime = x.Ticks.CompareTo(y.Ticks);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}

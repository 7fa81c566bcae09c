using UsageSentinel.Core.Behaviour;

namespace UsageSentinel.Core.Accounting;

/// <summary>Everything one detection loop keeps about one account. Owned by that loop.</summary>
internal sealed class AccountState : IAccrualSink
{
    /// <summary>The most terminations without a known launch kept per account.</summary>
    public const int MaxOrphanTerminations = 256;

    private string? _declaredCountry;

    // Created on first use, as most accounts never launch an instance or cross a tier; absent reads as empty (or,
    // for the tier times, as long.MinValue), and the state encoding writes both alike.
    private OpenInstanceSet _openInstances;
    private Dictionary<string, long>? _orphanTerminations;
    private List<ComputeRun>? _runs;
    private long[]? _runTierCrossedTicks;
    private long[]? _runTierProjectedTicks;
    private DailyComputeWindow? _daily;
    private ComputeAccrual _compute = new();
    private long _createdUtcTicks = long.MinValue;
    private short _createdOffsetMinutes;

    public AccountState(string accountId, int rollingDays, int tiers)
    {
        AccountId = accountId;
        RollingDays = rollingDays;
        TierCount = tiers;
    }

    public string AccountId { get; }

    /// <summary>Gets or sets what the account took from each input stream; created by the first positioned offer.</summary>
    public List<InputTrack>? Inputs { get; set; }

    /// <summary>Returns the track of <paramref name="stream"/>, creating it.</summary>
    public InputTrack Track(long stream)
    {
        Inputs ??= [];
        foreach (var track in Inputs)
        {
            if (track.Stream == stream)
            {
                return track;
            }
        }

        var created = new InputTrack(stream);
        Inputs.Add(created);
        return created;
    }

    public bool Allowlisted { get; set; }

    public string? DeclaredCountry
    {
        get => _declaredCountry;
        set
        {
            _declaredCountry = value;
            DeclaredUtcOffsetHours = CountryTimeZones.TryGetOffset(value, out var offset) ? offset : 0;
        }
    }

    /// <summary>Gets the UTC offset of the declared country's business time zone; 0 when unknown or undeclared.</summary>
    /// <remarks>Looked up once per change of the country, not on every evaluation.</remarks>
    public int DeclaredUtcOffsetHours { get; private set; }

    public string? KycStatus { get; set; }

    public string? EntityType { get; set; }

    /// <summary>Gets or sets when the account was created, as declared; kept as UTC ticks and an offset in minutes (10 bytes, not the 24 of a nullable <see cref="DateTimeOffset"/>).</summary>
    public DateTimeOffset? CreatedAt
    {
        get => _createdUtcTicks == long.MinValue
            ? null
            : new DateTimeOffset(_createdUtcTicks + (_createdOffsetMinutes * TimeSpan.TicksPerMinute), TimeSpan.FromMinutes(_createdOffsetMinutes));
        set
        {
            _createdUtcTicks = value?.UtcTicks ?? long.MinValue;
            _createdOffsetMinutes = (short)(value?.Offset.Ticks / TimeSpan.TicksPerMinute ?? 0);
        }
    }

    /// <summary>Gets the open instances by id (held inline; its storage is created by the first launch).</summary>
    public ref OpenInstanceSet OpenInstances => ref _openInstances;

    /// <summary>Gets the terminations without a known launch, creating the dictionary; read through <see cref="OrphanTerminationsIfAny"/> to spare it.</summary>
    public Dictionary<string, long> OrphanTerminations => _orphanTerminations ??= new(StringComparer.Ordinal);

    /// <summary>Gets the terminations without a known launch, or null when the account never had one.</summary>
    public Dictionary<string, long>? OrphanTerminationsIfAny => _orphanTerminations;

    public ref ComputeAccrual Compute => ref _compute;

    /// <summary>Gets the days of <see cref="Daily"/>, the rolling window.</summary>
    public int RollingDays { get; }

    /// <summary>Gets the peak FLOP by day, creating the window; read through <see cref="DailySum"/> to spare it.</summary>
    /// <remarks>Created by the first accrual (this state is the sink it goes to): most accounts never run a GPU.</remarks>
    public DailyComputeWindow Daily => _daily ??= new DailyComputeWindow(RollingDays);

    /// <summary>Gets the peak FLOP by day, or null when nothing was ever accrued.</summary>
    public DailyComputeWindow? DailyIfAny => _daily;

    /// <summary>Returns <see cref="DailyComputeWindow.Sum"/> of <see cref="Daily"/>: 0 without a window.</summary>
    public double DailySum(long nowTicks) => _daily is { } daily ? daily.Sum(nowTicks) : 0;

    /// <summary>Forgets <see cref="Daily"/> when it holds nothing, as if it had never been created (after a restore).</summary>
    public void DropEmptyDaily()
    {
        if (_daily is { IsEmpty: true })
        {
            _daily = null;
        }
    }

    void IAccrualSink.OnAccrued(long fromTicks, long toTicks, double peakFlops) => Daily.OnAccrued(fromTicks, toTicks, peakFlops);

    /// <summary>Gets the runs of the account that are running or may still resume, in creation order.</summary>
    /// <remarks>Creates the list; read through <see cref="RunsIfAny"/> or <see cref="RunCount"/> to spare it.</remarks>
    public List<ComputeRun> Runs => _runs ??= [];

    /// <summary>Gets the runs of the account, or null when it never had one.</summary>
    public List<ComputeRun>? RunsIfAny => _runs;

    /// <summary>Gets how many runs <see cref="Runs"/> holds.</summary>
    public int RunCount => _runs?.Count ?? 0;

    /// <summary>Gets or sets since when GPUs have run without a break; <see cref="long.MinValue"/> when none run.</summary>
    public long ActiveSinceTicks { get; set; } = long.MinValue;

    public long FirstSeenTicks { get; set; } = long.MinValue;

    public long LastEventTicks { get; set; } = long.MinValue;

    /// <summary>Gets how many training-scale tiers <see cref="RunTierCrossedTicks"/> and <see cref="RunTierProjectedTicks"/> hold.</summary>
    public int TierCount { get; }

    /// <summary>Gets when a single run last crossed each tier, to keep the rolling total from repeating it; creates the array.</summary>
    public long[] RunTierCrossedTicks => _runTierCrossedTicks ??= NoTierTimes(TierCount);

    /// <summary>Gets when a single run last projected each tier; creates the array.</summary>
    public long[] RunTierProjectedTicks => _runTierProjectedTicks ??= NoTierTimes(TierCount);

    /// <summary>Returns when a single run last crossed <paramref name="tier"/>; <see cref="long.MinValue"/> when never.</summary>
    public long RunTierCrossed(int tier) => _runTierCrossedTicks is { } ticks ? ticks[tier] : NoTierTime(tier);

    /// <summary>Returns when a single run last projected <paramref name="tier"/>; <see cref="long.MinValue"/> when never.</summary>
    public long RunTierProjected(int tier) => _runTierProjectedTicks is { } ticks ? ticks[tier] : NoTierTime(tier);

    public int RollingCrossedMask { get; set; }

    public int RollingProjectedMask { get; set; }

    public bool RollingIncidentOpen { get; set; }

    public long RollingIncidentOpenedTicks { get; set; }

    /// <summary>Gets or sets the behaviour the resale / proxy detector looks at; created on first use.</summary>
    public Behaviour.AccountBehaviour? Behaviour { get; set; }

    /// <summary>Gets or sets the usage and spend baselines; created on first use.</summary>
    public Behaviour.UsageProfile? Usage { get; set; }

    /// <summary>Gets or sets the <c>population_outlier</c> finding; created at the first scoring.</summary>
    public Detectors.PopulationOutlierState? Population { get; set; }

    public bool ResaleIncidentOpen { get; set; }

    public int ResaleIncidentNumber { get; set; }

    public Anomalies.Severity ResaleSeverity { get; set; }

    public double ResaleEvidence { get; set; }

    /// <summary>Gets or sets whether the account changed since its state was last exported (change tracking only).</summary>
    public bool Changed { get; set; }

    /// <summary>Gets or sets whether the account is in its loop's list of accounts to sweep.</summary>
    public bool InSweepList { get; set; }

    /// <summary>
    /// Gets or sets whether the account has left its engine (evicted to the state store, or replaced by a restored copy):
    /// an event that looked it up while waiting looks it up again.
    /// </summary>
    public bool Detached { get; set; }

    /// <summary>
    /// Gets or sets the account's place in the sweep list (its loop's sequence number when it joined): sweeps run in
    /// this order, which a restore rebuilds, because peer baselines learn from accounts in the order they are swept.
    /// </summary>
    public long SweepOrder { get; set; }

    /// <summary>
    /// Gets or sets the first sweep boundary at which the account must be evaluated again, events or not; before it, sweeps
    /// only carry its hourly bookkeeping forward, because no finding can change (see <see cref="Engine.DetectionOptions.DeferQuietAccounts"/>).
    /// <see cref="long.MinValue"/>: at the next boundary. An event wakes the account.
    /// </summary>
    public long WakeTicks { get; set; } = long.MinValue;

    /// <summary>The account's index in its loop's sweep list while <see cref="InSweepList"/>; not part of the state.</summary>
    internal int SweepIndex = -1;

    /// <summary>The cache lines an account object spans (about 300 bytes, with <see cref="Compute"/> inline), for prefetching it whole.</summary>
    internal const int CacheLines = 5;

    /// <summary>Prefetches the parts a sweep visit reads first (see <see cref="Engine.CachePrefetch"/>).</summary>
    internal void PrefetchParts()
    {
        Engine.CachePrefetch.Object(_daily);
        Engine.CachePrefetch.Object(_runs);
        Engine.CachePrefetch.Object(Behaviour, 11);
        Engine.CachePrefetch.Object(Usage, 2);
        Engine.CachePrefetch.Object(AccountId);
    }

    /// <summary>Prefetches what the parts of <see cref="PrefetchParts"/> point to, once those are in the cache.</summary>
    internal void PrefetchInner(long nowTicks)
    {
        Compute.Prefetch();
        _daily?.Prefetch(nowTicks);
        Behaviour?.Prefetch();
        Usage?.PrefetchHour(nowTicks, DeclaredUtcOffsetHours);
        if (_runs is { Count: > 0 } runs)
        {
            Engine.CachePrefetch.Object(runs[0]);
        }
    }

    /// <summary>
    /// The account's member index in the engine's link graph, -1 until it is found there; not part of the state (a
    /// restored account finds it again).
    /// </summary>
    internal int LinkMember = -1;

    /// <summary>The account's place in the engine's <see cref="Engine.AccountTable"/>, -1 when it is in none; not part of the state.</summary>
    internal int TableEntry = -1;

    /// <summary>Gets whether there is anything left to evaluate on a sweep.</summary>
    public bool NeedsSweep => Compute.RunningGpus > 0 || RunCount > 0 || RollingIncidentOpen || ResaleIncidentOpen || Usage is { UsageIncidentOpen: true };

    private static long[] NoTierTimes(int tiers)
    {
        var ticks = new long[tiers];
        Array.Fill(ticks, long.MinValue);
        return ticks;
    }

    private long NoTierTime(int tier) =>
        (uint)tier < (uint)TierCount ? long.MinValue : throw new ArgumentOutOfRangeException(nameof(tier), tier, "The tier is outside [0, TierCount).");
}

using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Behaviour;

/// <summary>
/// Behaviour of one account for the resale / proxy detector: who reaches its instances, from where, when, and how
/// it pays. Bounded memory, event time only, no allocation per event once the sketches exist. Owned by one loop.
/// </summary>
internal sealed partial class AccountBehaviour
{
    // Held inline (mutable structs, so not readonly): every access and every hour step of the account updates them.
    private ActivityHistogram _activity;
    private WeeklyDutyCycle _duty = new();
    private long _dutyHour = long.MinValue;
    private long _firstDutyHour = long.MinValue;

    // Created on first use: only launches bring SSH keys, regions and GPU models, only payments fingerprints, and
    // most accounts never launch or pay. Absent reads, and encodes, as empty.
    private readonly int _windowDays;
    private SlidingDistinctCounter? _sshKeys;
    private SlidingDistinctCounter? _paymentFingerprints;
    private FirstSeenSet? _regions;
    private FirstSeenSet? _gpuModels;

    public AccountBehaviour(int windowDays, TimeSpan activityHalfLife)
    {
        _activity = new ActivityHistogram(TimeSpan.Zero, activityHalfLife);
        _windowDays = windowDays;
        Principals = new SlidingDistinctCounter(windowDays);
        Asns = new SlidingDistinctCounter(windowDays);
        Countries = new SlidingDistinctCounter(windowDays);
    }

    public SlidingDistinctCounter Principals { get; }

    /// <summary>Prefetches the sketches a sweep reads (see <see cref="Engine.CachePrefetch"/>).</summary>
    internal void Prefetch()
    {
        Engine.CachePrefetch.Object(Principals);
        Engine.CachePrefetch.Object(Asns);
        Engine.CachePrefetch.Object(Countries);
    }

    /// <remarks>Creates the counter; read through <see cref="SshKeysIfAny"/> to spare it.</remarks>
    public SlidingDistinctCounter SshKeys => _sshKeys ??= new SlidingDistinctCounter(_windowDays);

    /// <summary>Gets the distinct SSH keys, or null when none was ever added.</summary>
    public SlidingDistinctCounter? SshKeysIfAny => _sshKeys;

    public SlidingDistinctCounter Asns { get; }

    public SlidingDistinctCounter Countries { get; }

    /// <remarks>Creates the counter; read through <see cref="PaymentFingerprintsIfAny"/> to spare it.</remarks>
    public SlidingDistinctCounter PaymentFingerprints => _paymentFingerprints ??= new SlidingDistinctCounter(_windowDays);

    /// <summary>Gets the distinct payment fingerprints, or null when none was ever added.</summary>
    public SlidingDistinctCounter? PaymentFingerprintsIfAny => _paymentFingerprints;

    public DecayedCounter Access;

    public DecayedCounter RestrictedAccess;

    public DecayedCounter AnonymizerAccess;

    public DecayedCounter Payments;

    public DecayedCounter RiskyPayments;

    public DecayedCounter ThirdPartyPayments;

    public DecayedCounter RestrictedPayments;

    public DecayedCounter Launches;

    public DecayedCounter PayerMismatchLaunches;

    public bool DeclaredReseller { get; set; }

    /// <summary>Gets the regions the account launched in.</summary>
    /// <remarks>Creates the set; read through <see cref="RegionsIfAny"/> to spare it.</remarks>
    public FirstSeenSet Regions => _regions ??= new FirstSeenSet();

    /// <summary>Gets the regions seen, or null when none was ever added.</summary>
    public FirstSeenSet? RegionsIfAny => _regions;

    /// <summary>Gets the GPU models the account launched.</summary>
    /// <remarks>Creates the set; read through <see cref="GpuModelsIfAny"/> to spare it.</remarks>
    public FirstSeenSet GpuModels => _gpuModels ??= new FirstSeenSet();

    /// <summary>Gets the GPU models seen, or null when none was ever added.</summary>
    public FirstSeenSet? GpuModelsIfAny => _gpuModels;

    /// <summary>Gets the source countries the account was reached from.</summary>
    public FirstSeenSet SourceCountries { get; } = new();

    /// <summary>Gets the principals that reached the account.</summary>
    public FirstSeenSet KnownPrincipals { get; } = new();

    /// <summary>Gets or sets when a region was first seen, once the account was established; <see cref="long.MinValue"/> for never.</summary>
    public long NewRegionTicks { get; set; } = long.MinValue;

    /// <summary>Gets or sets when a GPU model was first seen, once the account was established.</summary>
    public long NewGpuModelTicks { get; set; } = long.MinValue;

    /// <summary>Gets or sets when a source country was first seen, once the account was established.</summary>
    public long NewSourceCountryTicks { get; set; } = long.MinValue;

    /// <summary>Gets or sets when a principal was first seen, once the account was established.</summary>
    public long NewPrincipalTicks { get; set; } = long.MinValue;

    /// <summary>Adds one unit of activity at <paramref name="ticks"/> to the hour-of-day histogram.</summary>
    public void AddActivity(long ticks) => _activity.Add(ticks);

    /// <summary>
    /// The circular mean hour of activity in local time (UTC + <paramref name="offsetHours"/>) and how concentrated
    /// activity is (resultant length: 0 flat around the clock, 1 all in one hour).
    /// </summary>
    public (double MeanHour, double Concentration, double Total) ActivityPeak(int offsetHours)
    {
        var (mean, concentration, total) = _activity.CircularPeak();
        return total <= 0 ? (0, 0, 0) : ((((mean + offsetHours) % 24) + 24) % 24, concentration, total);
    }

    /// <summary>Records whether GPUs ran in the hour starting at <paramref name="hourStartTicks"/>; hours are recorded in order.</summary>
    public void RecordDutyHour(long hourStartTicks, bool active)
    {
        var hour = hourStartTicks / TimeSpan.TicksPerHour;
        if (_dutyHour != long.MinValue && hour <= _dutyHour)
        {
            return;
        }

        _firstDutyHour = _firstDutyHour == long.MinValue ? hour : _firstDutyHour;
        _dutyHour = hour;
        if (active)
        {
            _duty.MarkActive(hourStartTicks);
        }
    }

    /// <summary>Gets the share of the last 168 recorded hours with running GPUs (hours before the first record count as idle).</summary>
    public double DutyCycle => _dutyHour == long.MinValue ? 0 : _duty.DutyCycle(_dutyHour * TimeSpan.TicksPerHour);

    /// <summary>Gets the share of the recorded hours, at most the last 168, with running GPUs: the same for a new account as for an old one.</summary>
    public double ObservedDutyCycle =>
        _dutyHour == long.MinValue ? 0 : _duty.DutyCycle(_dutyHour * TimeSpan.TicksPerHour, (int)Math.Min(WeeklyDutyCycle.Hours, _dutyHour - _firstDutyHour + 1));
}

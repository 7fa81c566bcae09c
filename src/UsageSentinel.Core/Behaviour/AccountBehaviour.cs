using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Behaviour;

/// <summary>
/// Behaviour of one account for the resale / proxy detector: who reaches its instances, from where, when, and how
/// it pays. Bounded memory, event time only, no allocation per event once the sketches exist. Owned by one loop.
/// </summary>
internal sealed partial class AccountBehaviour
{
    // Held inline (mutable structs, so not readonly) and handed out by reference: every access, launch and hour step of
    // the account updates them, and inline they cost no object header and no pointer hop (a cache miss on a cold
    // account). Counters and sets that only launches or payments fill stay empty, without storage, until used.
    private ActivityHistogram _activity;
    private WeeklyDutyCycle _duty = new();
    private long _dutyHour = long.MinValue;
    private long _firstDutyHour = long.MinValue;
    private SlidingDistinctCounter _principals;
    private SlidingDistinctCounter _asns;
    private SlidingDistinctCounter _countries;
    private SlidingDistinctCounter _sshKeys;
    private SlidingDistinctCounter _paymentFingerprints;
    private FirstSeenSet _regions;
    private FirstSeenSet _gpuModels;
    private FirstSeenSet _sourceCountries;
    private FirstSeenSet _knownPrincipals;

    public AccountBehaviour(int windowDays, TimeSpan activityHalfLife)
    {
        _activity = new ActivityHistogram(TimeSpan.Zero, activityHalfLife);
        _principals = new SlidingDistinctCounter(windowDays);
        _asns = new SlidingDistinctCounter(windowDays);
        _countries = new SlidingDistinctCounter(windowDays);
        _sshKeys = new SlidingDistinctCounter(windowDays);
        _paymentFingerprints = new SlidingDistinctCounter(windowDays);
    }

    public ref SlidingDistinctCounter Principals => ref _principals;

    /// <summary>Prefetches the cells of the counters every access updates (see <see cref="Engine.CachePrefetch"/>).</summary>
    internal void Prefetch()
    {
        _principals.Prefetch();
        _asns.Prefetch();
        _countries.Prefetch();
    }

    /// <summary>Gets the distinct SSH keys of launches.</summary>
    public ref SlidingDistinctCounter SshKeys => ref _sshKeys;

    public ref SlidingDistinctCounter Asns => ref _asns;

    public ref SlidingDistinctCounter Countries => ref _countries;

    /// <summary>Gets the distinct payment fingerprints.</summary>
    public ref SlidingDistinctCounter PaymentFingerprints => ref _paymentFingerprints;

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
    public ref FirstSeenSet Regions => ref _regions;

    /// <summary>Gets the GPU models the account launched.</summary>
    public ref FirstSeenSet GpuModels => ref _gpuModels;

    /// <summary>Gets the source countries the account was reached from.</summary>
    public ref FirstSeenSet SourceCountries => ref _sourceCountries;

    /// <summary>Gets the principals that reached the account.</summary>
    public ref FirstSeenSet KnownPrincipals => ref _knownPrincipals;

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

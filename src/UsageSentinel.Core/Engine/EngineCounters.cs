namespace UsageSentinel.Core.Engine;

/// <summary>Running totals of one engine. Written by its loop, readable from any thread.</summary>
public sealed class EngineCounters
{
    private long _processed;
    private long _duplicates;
    private long _late;
    private long _anomalies;
    private long _terminationsWithoutLaunch;
    private long _duplicateLaunches;
    private long _unknownInstanceTypeEvents;
    private long _suppressed;
    private long _evicted;
    private long _reloaded;
    private long _capExceeded;
    private long _sweepVisits;
    private long _passedOver;

    /// <summary>Gets the accounts evicted to the state store to stay under the account cap.</summary>
    public long Evicted => Volatile.Read(ref _evicted);

    /// <summary>Gets the evicted accounts taken back from the state store on a later event.</summary>
    public long Reloaded => Volatile.Read(ref _reloaded);

    /// <summary>Gets how often the cap could not be met because every account was busy (running GPUs, open findings).</summary>
    public long CapExceeded => Volatile.Read(ref _capExceeded);

    /// <summary>
    /// Gets the account evaluations of the hourly sweeps: every account with GPUs running, runs pending or a finding open
    /// is evaluated once per hour of event time, events or not. Next to <see cref="Processed"/> it tells where the time
    /// goes.
    /// </summary>
    public long SweepVisits => Volatile.Read(ref _sweepVisits);

    internal void AddSweepVisits(int count) => Volatile.Write(ref _sweepVisits, _sweepVisits + count);

    /// <summary>
    /// Gets the account-hours sweeps passed over (<see cref="DetectionOptions.DeferQuietAccounts"/>): quiet accounts whose
    /// hourly bookkeeping was carried forward at their next evaluation or event instead of being evaluated.
    /// </summary>
    public long PassedOver => Volatile.Read(ref _passedOver);

    internal void AddPassedOver(int hours) => Volatile.Write(ref _passedOver, _passedOver + hours);

    internal void AddEvicted() => Volatile.Write(ref _evicted, _evicted + 1);

    internal void AddReloaded() => Volatile.Write(ref _reloaded, _reloaded + 1);

    internal void AddCapExceeded() => Volatile.Write(ref _capExceeded, _capExceeded + 1);

    /// <summary>Gets anomalies not emitted because of a suppression rule.</summary>
    public long Suppressed => Volatile.Read(ref _suppressed);

    /// <summary>Gets events processed, late ones included.</summary>
    public long Processed => Volatile.Read(ref _processed);

    /// <summary>Gets events dropped as duplicates.</summary>
    public long Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Gets events that arrived after later events had been processed.</summary>
    public long Late => Volatile.Read(ref _late);

    /// <summary>Gets anomalies raised.</summary>
    public long Anomalies => Volatile.Read(ref _anomalies);

    /// <summary>Gets terminations of instances whose launch was never seen.</summary>
    public long TerminationsWithoutLaunch => Volatile.Read(ref _terminationsWithoutLaunch);

    /// <summary>Gets second launches of an instance already running.</summary>
    public long DuplicateLaunches => Volatile.Read(ref _duplicateLaunches);

    /// <summary>Gets launches of instance types the catalog does not know.</summary>
    public long UnknownInstanceTypeEvents => Volatile.Read(ref _unknownInstanceTypeEvents);

    internal void AddProcessed() => Volatile.Write(ref _processed, _processed + 1);

    internal void AddDuplicate() => Volatile.Write(ref _duplicates, _duplicates + 1);

    internal void AddLate() => Volatile.Write(ref _late, _late + 1);

    internal void AddAnomalies(int count) => Volatile.Write(ref _anomalies, _anomalies + count);

    internal void AddTerminationWithoutLaunch() => Volatile.Write(ref _terminationsWithoutLaunch, _terminationsWithoutLaunch + 1);

    internal void AddDuplicateLaunch() => Volatile.Write(ref _duplicateLaunches, _duplicateLaunches + 1);

    internal void AddSuppressed() => Volatile.Write(ref _suppressed, _suppressed + 1);

    internal void AddUnknownInstanceType() => Volatile.Write(ref _unknownInstanceTypeEvents, _unknownInstanceTypeEvents + 1);
}

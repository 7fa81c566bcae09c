using System.Globalization;
using UsageSentinel.Core.Events;
using UsageSentinel.Simulation.Geography;
using UsageSentinel.Simulation.Randomness;

namespace UsageSentinel.Simulation.Engine;

/// <summary>
/// One simulated account. A scenario decides its parameters in its constructor and plans each day in
/// <see cref="PlanDay"/> (launches, terminations, access); this base class adds the profile, daily charges and
/// payments, keeps the scheduled events in time order and writes them when the population drains their hour.
/// An instance is stateful: one enumeration of the population uses fresh instances.
/// </summary>
internal abstract partial class AccountSimulation
{
    private const int SequenceBits = 36;
    private static readonly TimeSpan MaxBillingDelay = TimeSpan.FromMinutes(90);

    private readonly PriorityQueue<PendingEvent, long> _pending = new();
    private readonly List<SimInstance> _billable = [];
    private readonly SimRandom _cosmetic;
    private long _sequence;
    private long _eventNumber;
    private decimal _unpaid;
    private DayWindow _today;

    protected AccountSimulation(AccountSeed seed)
    {
        Seed = seed;
        Random = SimRandom.Create(seed.Seed, seed.Slot, 0);
        _cosmetic = SimRandom.Create(seed.Seed, seed.Slot, 1);
    }

    public string AccountId => Seed.AccountId;

    /// <summary>Gets the ground truth, fixed by the constructor.</summary>
    public abstract ScenarioLabel Label { get; }

    protected AccountSeed Seed { get; }

    /// <summary>Gets the account's own stream: parameters first, then each day's plan, in order.</summary>
    protected SimRandom Random { get; }

    protected DateTimeOffset PeriodStart => Seed.PeriodStart;

    protected DateTimeOffset PeriodEnd => Seed.PeriodEnd;

    protected abstract AccountProfile Profile { get; }

    protected abstract PaymentPlan Payment { get; }

    /// <summary>Plans the day: everything it schedules must happen at or after <paramref name="day"/>'s start.</summary>
    protected abstract void PlanDay(DayWindow day);

    /// <summary>Plans <paramref name="day"/>: the profile on the first day, the scenario's plan, charges and payments.</summary>
    public void Plan(DayWindow day)
    {
        _today = day;
        if (day.Index == 0)
        {
            // At the period start and scheduled first, so the profile precedes every other event of the account.
            Schedule(new PendingEvent(PendingKind.Profile, PeriodStart, Profile));
        }

        PlanDay(day);
        ScheduleCharges(day);
        SchedulePayment(day);
    }

    /// <summary>Writes, in time order, every scheduled event that happens before <paramref name="until"/>.</summary>
    public void Drain(DateTimeOffset until, EventJsonBuffer json, List<SimulatedEvent> sink)
    {
        while (_pending.TryPeek(out PendingEvent next, out _) && next.Time < until)
        {
            _pending.Dequeue();
            SimulatedEvent? written = Write(next, json);
            if (written is not null)
            {
                sink.Add(written);
            }
        }
    }

    /// <summary>Schedules the launch of <paramref name="instance"/>, and its termination when <see cref="SimInstance.End"/> is set.</summary>
    protected void Launch(SimInstance instance)
    {
        Schedule(new PendingEvent(PendingKind.Launch, instance.Launch, instance));
        if (instance.End is { } end)
        {
            if (end <= instance.Launch)
            {
                throw new InvalidOperationException("An instance must end after it launches.");
            }

            Schedule(new PendingEvent(PendingKind.Terminate, end, instance));
        }

        _billable.Add(instance);
    }

    /// <summary>Terminates a running instance whose end was left open.</summary>
    protected void Terminate(SimInstance instance, DateTimeOffset time, string reason)
    {
        if (instance.End is not null || time <= instance.Launch)
        {
            throw new InvalidOperationException("The instance already has an end, or would end before it launches.");
        }

        instance.End = time;
        instance.TerminationReason = reason;
        Schedule(new PendingEvent(PendingKind.Terminate, time, instance));
    }

    protected void Access(DateTimeOffset time, Principal principal, string? instanceId, string protocol, NetworkOrigin? origin = null) =>
        Schedule(new PendingEvent(PendingKind.Access, time, new AccessSession(principal, origin ?? principal.Origin, instanceId, protocol)));

    /// <summary>A random instance running at <paramref name="time"/>, as far as planned so far.</summary>
    /// <param name="time">The instant.</param>
    /// <param name="openEnded">Only instances whose end is not planned yet (which <see cref="Terminate"/> accepts).</param>
    protected SimInstance? RunningAt(DateTimeOffset time, bool openEnded = false)
    {
        int count = 0;
        SimInstance? chosen = null;
        foreach (SimInstance instance in _billable)
        {
            // Reservoir sampling of one.
            if (instance.RunsAt(time) && (!openEnded || instance.End is null) && Random.Below(++count) == 0)
            {
                chosen = instance;
            }
        }

        return chosen;
    }

    protected Principal NewPrincipal(string id, NetworkOrigin origin) => new(id, origin, Names.SshKey(Random));

    protected SimInstance NewInstance(
        Catalog.SimInstanceType type,
        string region,
        DateTimeOffset launch,
        DateTimeOffset? end,
        Principal? caller,
        string pricingModel = PricingModels.OnDemand,
        string? placementGroup = null,
        string? zone = null,
        string? reason = null,
        string? sshKey = null,
        NetworkOrigin? callerOrigin = null,
        string? payerAccountId = null) => new()
        {
            Id = Names.Instance(type.Provider, Random),
            Type = type,
            Region = region,
            Zone = zone ?? Regions.Zone(type.Provider, region, Random),
            PlacementGroup = placementGroup,
            PricingModel = pricingModel,
            Launch = LocalClock.Truncate(launch),
            End = end is { } e ? LocalClock.Truncate(e) : null,
            TerminationReason = reason,
            Caller = caller,
            CallerOrigin = callerOrigin,
            SshKeyFingerprint = sshKey ?? caller?.SshKeyFingerprint,
            PayerAccountId = payerAccountId,
        };

    /// <summary>An end time that is <see langword="null"/> when it falls after the period, so the instance simply keeps running.</summary>
    protected DateTimeOffset? EndWithinPeriod(DateTimeOffset end) => end < PeriodEnd ? end : null;

    private void Schedule(in PendingEvent pending)
    {
        if (pending.Time < _today.Start)
        {
            throw new InvalidOperationException("An event was scheduled before the day being planned.");
        }

        // Priority: whole seconds since the period start (under 2^25 for 366 days) above the scheduling sequence, so
        // events of the same second keep the order they were scheduled in.
        DateTimeOffset time = LocalClock.Truncate(pending.Time);
        long seconds = (time.UtcTicks - PeriodStart.UtcTicks) / TimeSpan.TicksPerSecond;
        _pending.Enqueue(pending with { Time = time }, (seconds << SequenceBits) | _sequence++);
    }

    private void ScheduleCharges(DayWindow day)
    {
        for (int i = _billable.Count - 1; i >= 0; i--)
        {
            SimInstance instance = _billable[i];
            if (instance.Launch >= day.End)
            {
                continue;
            }

            DateTimeOffset from = instance.Launch > day.Start ? instance.Launch : day.Start;
            DateTimeOffset to = instance.End is { } end && end < day.End ? end : day.End;
            if (to > from)
            {
                DateTimeOffset at = to.AddSeconds(Random.Between(300, (int)MaxBillingDelay.TotalSeconds));
                Schedule(new PendingEvent(PendingKind.Charge, at, instance, from, to));
            }

            if (instance.End is { } ended && ended <= day.End)
            {
                _billable.RemoveAt(i);
            }
        }
    }

    private void SchedulePayment(DayWindow day)
    {
        if ((day.Index + 1) % Payment.CycleDays == 0)
        {
            Schedule(new PendingEvent(PendingKind.Payment, day.Start.AddHours(Random.Between(6.0, 20.0)), Payment));
        }
    }

    private string NextEventId() =>
        string.Create(CultureInfo.InvariantCulture, $"sim-{Seed.Seed}-{AccountId}-{_eventNumber++}");

    private static string TopicOf(PendingKind kind) => kind switch
    {
        PendingKind.Profile => SimulationTopics.AccountProfiles,
        PendingKind.Charge or PendingKind.Payment => SimulationTopics.BillingEvents,
        _ => SimulationTopics.InstanceEvents,
    };

    private static string EventTypeOf(PendingKind kind) => kind switch
    {
        PendingKind.Profile => EventTypeNames.AccountUpserted,
        PendingKind.Launch => EventTypeNames.InstanceLaunched,
        PendingKind.Terminate => EventTypeNames.InstanceTerminated,
        PendingKind.Access => EventTypeNames.InstanceAccess,
        PendingKind.Charge => EventTypeNames.BillingCharge,
        _ => EventTypeNames.BillingPayment,
    };
}

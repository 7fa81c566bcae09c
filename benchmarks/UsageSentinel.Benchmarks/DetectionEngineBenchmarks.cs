using System.Globalization;
using BenchmarkDotNet.Attributes;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Benchmarks;

/// <summary>
/// Steady-state cost of <see cref="DetectionEngine{TToken}.Offer"/> per event for accounts the engine already knows:
/// the engine is warmed with the simulated population, then offered fresh events (unique ids, increasing event
/// time, <see cref="Spacing"/> apart) cloned from the population's own events.
/// </summary>
/// <remarks>
/// Each iteration offers <see cref="EventsPerInvoke"/> events built in <see cref="BuildBatch"/>, never reusing an id,
/// so no event is a duplicate and none is late. At the end of the warm-up every simulated instance is terminated and
/// the population's incidents resolve, so the hourly sweeps see only the benchmark's own instances and no
/// training-scale tier is crossed while measuring: the figures exclude anomaly building, which is rare and allocates
/// by design (the report line written at cleanup counts the anomalies raised after the warm-up; expect 0).
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
public class DetectionEngineBenchmarks
{
    /// <summary>Interactive access and billing charges, as the population mixes them: no accounting state changes.</summary>
    public const string AccessAndBilling = "access+billing";

    /// <summary>Each launching account alternately launches and terminates one instance: accounting and runs.</summary>
    public const string LaunchAndTerminate = "launch+terminate";

    /// <summary>Events offered by one <see cref="Offer"/> call; for the harness.</summary>
    internal const int EventsPerBatch = EventsPerInvoke;

    private const int EventsPerInvoke = 250_000;

    /// <summary>Event time between two offered events. With about 50 accounts, each sees an event every ~25 minutes.</summary>
    private static readonly long Spacing = TimeSpan.FromSeconds(30).Ticks;

    private readonly CountingOutput _output = new();
    private readonly AccountEvent[] _batch = new AccountEvent[EventsPerInvoke];
    private DetectionEngine<long> _engine = null!;
    private AccountEvent[] _usageTemplates = [];
    private InstanceLaunched[] _launchTemplates = [];
    private string?[] _openInstances = [];
    private long _nextTicks;
    private long _serial;
    private long _cursor;
    private long _anomaliesAfterWarmUp;

    [Params(AccessAndBilling, LaunchAndTerminate)]
    public string Workload { get; set; } = AccessAndBilling;

    [GlobalSetup]
    public void Setup()
    {
        var events = SimulatedPopulation.Parse(SimulatedPopulation.Generate());
        var options = new DetectionOptions { AllowedLateness = TimeSpan.Zero };
        _engine = new DetectionEngine<long>(options, GpuCatalog.Default, _output);
        var open = new Dictionary<(string Account, string Instance), InstanceLaunched>();
        var firstLaunches = new Dictionary<string, InstanceLaunched>(StringComparer.Ordinal);
        var usage = new List<AccountEvent>();
        long token = 0;
        foreach (var @event in events)
        {
            _engine.Offer(@event, token++);
            switch (@event)
            {
                case InstanceLaunched launched:
                    open[(launched.AccountId, launched.InstanceId)] = launched;
                    firstLaunches.TryAdd(launched.AccountId, launched);
                    break;
                case InstanceTerminated terminated:
                    open.Remove((terminated.AccountId, terminated.InstanceId));
                    break;
                case InstanceAccessed or UsageBilled:
                    usage.Add(@event);
                    break;
                default:
                    break;
            }
        }

        // Quiesce: terminate what the population left running, so no simulated cluster keeps accruing compute; then
        // let a rolling window and the run resume gap pass, so the population's incidents resolve here, not while
        // measuring.
        var ticks = events[^1].OccurredAt.UtcTicks;
        foreach (var launched in open.Values)
        {
            ticks += Spacing;
            _engine.Offer(new InstanceTerminated(NextEventId(), launched.AccountId, At(ticks)) { InstanceId = launched.InstanceId }, token++);
        }

        ticks += (options.TrainingScale.RollingWindow + options.TrainingScale.RunResumeGap + TimeSpan.FromDays(1)).Ticks;
        _engine.Offer(usage[0] with { EventId = NextEventId(), OccurredAt = At(ticks) }, token++);
        _engine.Flush();
        _nextTicks = ticks + Spacing;
        _usageTemplates = [.. usage];
        _launchTemplates = [.. firstLaunches.Values];
        _openInstances = new string?[_launchTemplates.Length];
        _anomaliesAfterWarmUp = _engine.Counters.Anomalies;
    }

    [IterationSetup]
    public void BuildBatch()
    {
        var counters = _engine.Counters;
        if (counters.Duplicates != 0 || counters.Late != 0 || counters.DuplicateLaunches != 0 || counters.TerminationsWithoutLaunch != 0)
        {
            throw new InvalidOperationException("The benchmark offered a duplicate, late or unmatched event; fix the workload.");
        }

        for (var i = 0; i < _batch.Length; i++)
        {
            var at = At(_nextTicks);
            _nextTicks += Spacing;
            _batch[i] = Workload == LaunchAndTerminate ? NextLaunchOrTermination(at) : NextUsage(at);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public long Offer()
    {
        var batch = _batch;
        for (var i = 0; i < batch.Length; i++)
        {
            _engine.Offer(batch[i], i);
        }

        return _output.Done;
    }

    [GlobalCleanup]
    public void Report()
    {
        var counters = _engine.Counters;
        Console.WriteLine(
            $"// {Workload}: {_engine.AccountCount} accounts, {counters.Processed} processed, {counters.Anomalies - _anomaliesAfterWarmUp} anomalies after warm-up, " +
            $"{counters.Duplicates} duplicates, {counters.Late} late, until {_engine.ProcessedUntil:O}");
    }

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private AccountEvent NextUsage(DateTimeOffset at)
    {
        var template = _usageTemplates[_cursor++ % _usageTemplates.Length];
        return template with { EventId = NextEventId(), OccurredAt = at };
    }

    private AccountEvent NextLaunchOrTermination(DateTimeOffset at)
    {
        var index = (int)(_cursor++ % _launchTemplates.Length);
        var template = _launchTemplates[index];
        if (_openInstances[index] is { } instanceId)
        {
            _openInstances[index] = null;
            return new InstanceTerminated(NextEventId(), template.AccountId, at) { InstanceId = instanceId };
        }

        var launched = template with { EventId = NextEventId(), OccurredAt = at, InstanceId = NextInstanceId() };
        _openInstances[index] = launched.InstanceId;
        return launched;
    }

    private string NextEventId() => string.Create(CultureInfo.InvariantCulture, $"bench-{_serial++:D12}");

    private string NextInstanceId() => string.Create(CultureInfo.InvariantCulture, $"i-bench{_serial:x12}");
}

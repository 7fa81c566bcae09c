using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.Core.Linking;
using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Worker.Replay;

/// <summary>
/// Several engines, each on its own thread with the accounts <see cref="AccountLoops"/> gives it, moving through event
/// time in lockstep so the output depends on the number of loops but never on the threads' timing.
/// </summary>
/// <remarks>
/// <para>
/// The reading thread closes every loop's batch at the same input line (every <see cref="BatchHandOff.BatchSize"/>
/// events) and stamps each with the newest and oldest event time read so far, so every loop releases waiting events
/// to the same watermark. Each loop keeps its own link graph; at every evaluation boundary the loops meet: the links
/// each one observed since the last meeting are applied to the others' graphs in loop order, and the anomalies each
/// raised are written out in loop order. At a retraining boundary they meet once more after their snapshots, for one
/// population model trained on all loops' rows in loop order.
/// </para>
/// <para>
/// What differs from one loop: an identifier another loop's account shares becomes visible at the next boundary, not
/// at once; peer priors (typical GPU and spend peaks) are learnt per loop; an event is late only against its own
/// loop's processed time, released per batch; the duplicate-id check holds per loop (a duplicate has its original's
/// account, so it meets it there); every hourly boundary between the first and the last event is evaluated, where one
/// loop jumps over a silence of more than 14 days, carrying the accounts through it.
/// </para>
/// </remarks>
internal sealed class LockstepStage : IDetectionStage, ILockstep
{
    /// <summary>
    /// Batches parsed ahead per loop: four times one loop's default, so that the reading thread keeps parsing while the
    /// loops wait for each other at a meeting (a population training holds all of them for ~80 ms); 5,000,000-event
    /// replay, 6 alternating pairs: 10.07 s against 10.26 s with 8.
    /// </summary>
    private const int HandOffBatches = 4 * BatchHandOff.DefaultBatches;

    private readonly int _loops;
    private readonly DetectionEngine<long>[] _engines;
    private readonly ReplayOutput[] _outputs;
    private readonly LinkGraph[] _graphs;
    private readonly List<LinkRecord>[] _journals;
    private readonly List<LinkRecord>[] _outgoing;
    private readonly LockstepPopulationTraining _population;
    private readonly BatchHandOff[] _handOffs;
    private readonly EventBatch?[] _batches;
    private readonly Meeting[] _meetings;
    private readonly Barrier _barrier;
    private readonly Stream _stream;
    private readonly CancellationTokenSource _stop;
    private int _inBatch;
    private long _clock = long.MinValue;
    private long _earliest = long.MaxValue;

    public LockstepStage(
        int loops,
        Func<int, IDetectionOutput<long>, LinkGraph, LockstepPopulationTraining, ILockstep, DetectionEngine<long>> createEngine,
        Func<LinkGraph> createGraph,
        LockstepPopulationTraining population,
        Stream stream,
        CancellationTokenSource stop)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loops, 2);
        _loops = loops;
        _population = population;
        _stream = stream;
        _stop = stop;
        _engines = new DetectionEngine<long>[loops];
        _outputs = new ReplayOutput[loops];
        _graphs = new LinkGraph[loops];
        _journals = new List<LinkRecord>[loops];
        _outgoing = new List<LinkRecord>[loops];
        _handOffs = new BatchHandOff[loops];
        _batches = new EventBatch?[loops];
        _meetings = new Meeting[loops];
        for (var i = 0; i < loops; i++)
        {
            var loop = i;
            _journals[i] = [];
            _outgoing[i] = [];
            _graphs[i] = createGraph();
            _graphs[i].Journal = record => _journals[loop].Add(record);
            _outputs[i] = new ReplayOutput();
            _engines[i] = createEngine(i, _outputs[i], _graphs[i], population, this);
            _handOffs[i] = new BatchHandOff(HandOffBatches);
        }

        _barrier = new Barrier(loops, _ => AfterMeeting());
        var tasks = new Task[loops];
        for (var i = 0; i < loops; i++)
        {
            var loop = i;
            tasks[i] = Task.Factory.StartNew(() => Detect(loop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        Detection = Task.WhenAll(tasks);
    }

    private enum Step
    {
        Boundary,
        Snapshot,
        End,
        Done,
    }

    public Task Detection { get; }

    public long Anomalies
    {
        get
        {
            long count = 0;
            foreach (var output in _outputs)
            {
                count += output.Count;
            }

            return count;
        }
    }

    public IReadOnlyList<EngineCounters> Counters => [.. _engines.Select(e => e.Counters)];

    public IReadOnlyList<string> UnknownInstanceTypes => [.. _outputs.SelectMany(o => o.UnknownTypes)];

    public void Add(AccountEvent @event, long lineNumber, CancellationToken cancellationToken)
    {
        var ticks = @event.OccurredAt.UtcTicks;
        _clock = Math.Max(_clock, ticks);
        _earliest = Math.Min(_earliest, ticks);
        var loop = AccountLoops.Of(@event, _loops);
        var batch = _batches[loop] ??= _handOffs[loop].TakeEmpty(cancellationToken);
        batch.Add(@event, lineNumber);
        if (++_inBatch == BatchHandOff.BatchSize)
        {
            PublishAll(cancellationToken);
        }
    }

    public void Complete(CancellationToken cancellationToken)
    {
        PublishAll(cancellationToken);
        foreach (var handOff in _handOffs)
        {
            handOff.Complete();
        }
    }

    public void Abort()
    {
        foreach (var handOff in _handOffs)
        {
            handOff.Complete();
        }
    }

    public void AtBoundary(int loopIndex, long boundaryTicks) => Meet(loopIndex, Step.Boundary, boundaryTicks);

    public void AfterSnapshot(int loopIndex, long boundaryTicks) => Meet(loopIndex, Step.Snapshot, boundaryTicks);

    public void Dispose()
    {
        foreach (var handOff in _handOffs)
        {
            handOff.Dispose();
        }

        _barrier.Dispose();
    }

    /// <summary>Hands every loop its batch (an empty one too: it carries the clock), all closed at the same input line.</summary>
    private void PublishAll(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _loops; i++)
        {
            var batch = _batches[i] ?? _handOffs[i].TakeEmpty(cancellationToken);
            batch.Clock = _clock;
            batch.Earliest = _earliest;
            _handOffs[i].Publish(batch, cancellationToken);
            _batches[i] = null;
        }

        _inBatch = 0;
    }

    private void Detect(int loop)
    {
        var engine = _engines[loop];
        var handOff = _handOffs[loop];
        try
        {
            long clock = long.MinValue, earliest = long.MaxValue;
            while (handOff.TryTakeFull(_stop.Token, out var batch))
            {
                clock = batch.Clock;
                earliest = batch.Earliest;
                DetectBatch(batch, engine);
                batch.Clear();
                handOff.ReturnEmpty(batch);
            }

            _stop.Token.ThrowIfCancellationRequested();

            // The last batch carried the whole input's clock: release everything, meet, then the final evaluation.
            engine.AdvanceTo(clock, earliest, final: true);
            Meet(loop, Step.End, clock);
            engine.FinishLockstep(clock);
            Meet(loop, Step.Done, clock);
        }
        catch (BarrierPostPhaseException ex) when (ex.InnerException is { } inner)
        {
            // What failed between the loops (writing the output, training): every loop sees it; report it as it is.
            _stop.Cancel();
            ExceptionDispatchInfo.Throw(inner);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stop the reading stage and the other loops at once: the reading stage reports this exception.
            _stop.Cancel();
            throw;
        }
    }

    /// <remarks>A method of its own, called once per batch, so that the JIT optimises it fully (see <see cref="SingleLoopStage"/>).</remarks>
    private static void DetectBatch(EventBatch batch, DetectionEngine<long> engine)
    {
        var events = batch.Events;
        var lineNumbers = batch.LineNumbers;
        for (var i = 0; i < events.Length; i++)
        {
            engine.PrefetchAhead(events, i);
            engine.Offer(events[i], lineNumbers[i]);
        }

        engine.AdvanceTo(batch.Clock, batch.Earliest);
    }

    private void Meet(int loop, Step step, long ticks)
    {
        _meetings[loop] = new Meeting(step, ticks);
        _barrier.SignalAndWait(_stop.Token);
        if (step is Step.Boundary or Step.End)
        {
            ApplyOthersLinks(loop);
        }
    }

    /// <summary>Runs on one loop's thread while all loops wait at the same step.</summary>
    private void AfterMeeting()
    {
        var first = _meetings[0];
        for (var i = 1; i < _loops; i++)
        {
            if (_meetings[i] != first)
            {
                throw new InvalidOperationException(
                    $"Replay loops out of step: loop 0 at {first.Step} {first.Ticks}, loop {i} at {_meetings[i].Step} {_meetings[i].Ticks}.");
            }
        }

        switch (first.Step)
        {
            case Step.Boundary:
            case Step.End:
                HandOverJournals();
                break;
            case Step.Snapshot:
                _population.TrainSubmitted();
                break;
        }

        foreach (var output in _outputs)
        {
            output.WriteTo(_stream, 0);
        }
    }

    /// <summary>
    /// At a meeting, while no loop runs: each loop's link changes since the last meeting become its outgoing changes, and
    /// its journal starts empty (the list the others applied last time, reused: no copy, no allocation).
    /// </summary>
    private void HandOverJournals()
    {
        for (var i = 0; i < _loops; i++)
        {
            (_journals[i], _outgoing[i]) = (_outgoing[i], _journals[i]);
            _journals[i].Clear();
        }
    }

    /// <summary>
    /// Right after a meeting, on each loop's own thread: applies the other loops' outgoing changes to this loop's graph,
    /// loop by loop in order, so every graph sees the same sequence as when one thread applied them all at the meeting;
    /// the loops do it at once, each on its own graph. Changes the graph journals while applying go to this loop's new
    /// journal, for the next meeting. The outgoing lists stay untouched until every loop is at the next meeting.
    /// </summary>
    private void ApplyOthersLinks(int loop)
    {
        var graph = _graphs[loop];
        for (var i = 0; i < _loops; i++)
        {
            if (i != loop)
            {
                foreach (var record in CollectionsMarshal.AsSpan(_outgoing[i]))
                {
                    graph.Apply(record);
                }
            }
        }
    }

    private readonly record struct Meeting(Step Step, long Ticks);
}

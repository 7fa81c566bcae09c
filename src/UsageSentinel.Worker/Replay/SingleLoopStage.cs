using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Worker.Replay;

/// <summary>
/// One engine on one detection thread, fed batches in input order: the engine sees exactly the sequence a single thread
/// would give it.
/// </summary>
internal sealed class SingleLoopStage : IDetectionStage
{
    private readonly DetectionEngine<long> _engine;
    private readonly ReplayOutput _output;
    private readonly Stream _stream;
    private readonly CancellationTokenSource _stop;
    private readonly BatchHandOff _handOff = new();
    private EventBatch? _batch;

    public SingleLoopStage(Func<IDetectionOutput<long>, DetectionEngine<long>> createEngine, Stream stream, CancellationTokenSource stop)
    {
        _output = new ReplayOutput();
        _engine = createEngine(_output);
        _stream = stream;
        _stop = stop;
        Detection = Task.Factory.StartNew(Detect, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public Task Detection { get; }

    public long Anomalies => _output.Count;

    public IReadOnlyList<EngineCounters> Counters => [_engine.Counters];

    public IReadOnlyList<string> UnknownInstanceTypes => _output.UnknownTypes;

    public void Add(AccountEvent @event, long lineNumber, CancellationToken cancellationToken)
    {
        _batch ??= _handOff.TakeEmpty(cancellationToken);
        if (_batch.Add(@event, lineNumber))
        {
            _handOff.Publish(_batch, cancellationToken);
            _batch = null;
        }
    }

    public void Complete(CancellationToken cancellationToken)
    {
        if (_batch is not null)
        {
            _handOff.Publish(_batch, cancellationToken);
            _batch = null;
        }

        _handOff.Complete();
    }

    public void Abort() => _handOff.Complete();

    public void Dispose() => _handOff.Dispose();

    /// <summary>Offers each batch's events in order, then flushes the engine at the end of input.</summary>
    private void Detect()
    {
        try
        {
            while (_handOff.TryTakeFull(_stop.Token, out var batch))
            {
                DetectBatch(batch, _engine, _output, _stream);
                batch.Clear();
                _handOff.ReturnEmpty(batch);
            }

            _stop.Token.ThrowIfCancellationRequested();
            _engine.Flush();
            _output.WriteTo(_stream, 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stop the reading stage at once: it reports this exception.
            _stop.Cancel();
            throw;
        }
    }

    /// <remarks>
    /// A method of its own, called once per batch, so that the JIT optimises it fully (with profile data) after a few
    /// batches; inside the stage's one long-running loop it would run as an on-stack-replacement version.
    /// </remarks>
    private static void DetectBatch(EventBatch batch, DetectionEngine<long> engine, ReplayOutput output, Stream stream)
    {
        var events = batch.Events;
        var lineNumbers = batch.LineNumbers;
        for (var i = 0; i < events.Length; i++)
        {
            engine.PrefetchAhead(events, i);
            engine.Offer(events[i], lineNumbers[i]);
        }

        output.WriteTo(stream, ReplayOutput.FlushThreshold);
    }
}

using System.Collections.Concurrent;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>An event with anomalies in flight: done once processed and every delivery succeeded.</summary>
internal sealed class PendingEvent(InputPosition position, ConcurrentQueue<DoneItem> done)
{
    private int _outstanding = 1; // the processing itself

    public InputPosition Position { get; } = position;

    public EventOutcome Outcome { get; set; }

    public void Add() => Interlocked.Increment(ref _outstanding);

    public void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            done.Enqueue(new DoneItem(Position, Outcome));
        }
    }
}

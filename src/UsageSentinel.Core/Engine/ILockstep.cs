namespace UsageSentinel.Core.Engine;

/// <summary>
/// Joins several engines, each with its own accounts, so that they move through event time together and give the same
/// result however their threads are scheduled (a replay on several cores). Each engine calls in at every evaluation
/// boundary and after every population snapshot, from its own thread; a call returns once every loop has made the
/// same call, after whatever must happen between the loops there (link changes exchanged, the population model
/// trained on all loops' snapshots, output written in loop order).
/// </summary>
public interface ILockstep
{
    /// <summary>Called by loop <paramref name="loopIndex"/> before it sweeps <paramref name="boundaryTicks"/>, once its events before that time are processed.</summary>
    /// <param name="loopIndex">The calling engine's loop index.</param>
    /// <param name="boundaryTicks">The boundary, UTC ticks.</param>
    void AtBoundary(int loopIndex, long boundaryTicks);

    /// <summary>Called by loop <paramref name="loopIndex"/> after its population snapshot at <paramref name="boundaryTicks"/>.</summary>
    /// <param name="loopIndex">The calling engine's loop index.</param>
    /// <param name="boundaryTicks">The retraining boundary, UTC ticks.</param>
    void AfterSnapshot(int loopIndex, long boundaryTicks);
}

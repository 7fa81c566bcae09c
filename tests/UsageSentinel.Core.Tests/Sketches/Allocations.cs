namespace UsageSentinel.Core.Tests.Sketches;

/// <summary>Measures what an action allocates on the calling thread in steady state.</summary>
internal static class Allocations
{
    /// <summary>
    /// Runs the action twice to warm it up, then measures five more runs and returns the least: the JIT's tier-up
    /// (on-stack replacement of a hot loop) may allocate during one run, the code under test allocates in all of them.
    /// </summary>
    public static long Measure(Action action)
    {
        action();
        action();
        var least = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}

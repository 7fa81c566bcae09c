namespace UsageSentinel.Core.Tests.Sketches;

/// <summary>Measures managed allocation on the current thread: run the code once to warm up, then measure.</summary>
internal static class Allocations
{
    public static long Measure(Action action)
    {
        action();
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

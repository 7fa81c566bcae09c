using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Core.Sketches;

/// <summary>Configuration of a <see cref="SlidingDistinctCounter"/>; one instance may configure many counters.</summary>
public sealed class SlidingDistinctCounterOptions
{
    /// <summary>The most slots a window may span: register time stamps are 4 bits.</summary>
    public const int MaxWindowSlots = 16;

    /// <summary>Gets or sets how far back in event time values count.</summary>
    /// <value>The default value is 7 days. It must be a whole number (1 to 16) of <see cref="Granularity"/>.</value>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Gets or sets the time slot: values expire a whole slot at a time, and the window covers the current slot and
    /// the slots before it, <see cref="Window"/> in all.
    /// </summary>
    /// <value>The default value is 1 day.</value>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan Granularity { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets the number of index bits: the counter has 2^precision registers of 2 bytes each.</summary>
    /// <value>
    /// The default value is 7: 128 registers in 256 bytes, about 9% relative standard error above 32 values.
    /// Each step up doubles the memory and divides the error by √2 (8: 512 bytes, about 6.5%).
    /// </value>
    [Range(SlidingDistinctCounter.MinPrecision, SlidingDistinctCounter.MaxPrecision)]
    public int Precision { get; set; } = SlidingDistinctCounter.DefaultPrecision;
}

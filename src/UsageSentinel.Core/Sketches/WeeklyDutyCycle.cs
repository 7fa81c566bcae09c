using System.Numerics;

namespace UsageSentinel.Core.Sketches;

/// <summary>
/// Which of the last 168 hours (one week) had activity, e.g. any GPU running: a 168-bit ring in 24 bytes inline, for
/// the <see cref="DutyCycle(long)"/> (share of active hours) and the <see cref="LongestActiveStreakHours"/>.
/// </summary>
/// <remarks>
/// Bit <c>h mod 168</c> stands for UTC hour <c>h</c> (hours since 0001-01-01). Marking a later hour first clears the
/// hours skipped since the newest mark, so the ring always holds exactly the 168 hours ending at the newest mark;
/// queries at a later time treat the hours after it as idle. Marks older than the ring are ignored. Event time only;
/// 32 bytes, a mutable struct held inline by its owner (no object header, no pointer hop on the hourly path): keep it
/// in a non-readonly field and never copy it. Not thread-safe; no allocation.
/// </remarks>
public partial struct WeeklyDutyCycle
{
    /// <summary>The hours in the ring: one week.</summary>
    public const int Hours = 168;

    private const long NoHour = -1;

    private WeekBits _bits;
    private long _lastHour = NoHour;

    /// <summary>Initializes a new instance of the <see cref="WeeklyDutyCycle"/> struct, with no hour active.</summary>
    public WeeklyDutyCycle()
    {
    }

    /// <summary>Marks the hour containing <paramref name="utcTicks"/> as active.</summary>
    /// <param name="utcTicks">The event time, UTC ticks; non-negative.</param>
    public void MarkActive(long utcTicks)
    {
        var hour = HourOf(utcTicks);
        AdvanceTo(hour);
        Set(hour);
    }

    /// <summary>Marks every hour overlapping [<paramref name="fromUtcTicks"/>, <paramref name="toUtcTicks"/>) as active, e.g. an instance's run.</summary>
    /// <param name="fromUtcTicks">The start, UTC ticks; non-negative.</param>
    /// <param name="toUtcTicks">The end (exclusive), UTC ticks; an empty interval marks nothing.</param>
    public void MarkActive(long fromUtcTicks, long toUtcTicks)
    {
        if (toUtcTicks <= fromUtcTicks)
        {
            return;
        }

        var first = HourOf(fromUtcTicks);
        var last = HourOf(toUtcTicks - 1);
        AdvanceTo(last);
        for (var hour = Math.Max(first, last - Hours + 1); hour <= last; hour++)
        {
            Set(hour);
        }
    }

    /// <summary>The share of the 168 hours ending with the hour of <paramref name="nowUtcTicks"/> that were active.</summary>
    /// <param name="nowUtcTicks">The event time to evaluate at, UTC ticks.</param>
    /// <returns>Active hours / 168, between 0 and 1.</returns>
    public double DutyCycle(long nowUtcTicks) => DutyCycle(nowUtcTicks, Hours);

    /// <summary>The share of the <paramref name="hours"/> hours ending with the hour of <paramref name="nowUtcTicks"/> that were active.</summary>
    /// <param name="nowUtcTicks">The event time to evaluate at, UTC ticks.</param>
    /// <param name="hours">The span, 1 to 168 hours, the current hour included.</param>
    /// <returns>Active hours / <paramref name="hours"/>, between 0 and 1.</returns>
    public double DutyCycle(long nowUtcTicks, int hours)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, Hours);
        return (double)ActiveHours(nowUtcTicks, hours) / hours;
    }

    /// <summary>The number of active hours among the <paramref name="hours"/> ending with the hour of <paramref name="nowUtcTicks"/>.</summary>
    /// <param name="nowUtcTicks">The event time to evaluate at, UTC ticks.</param>
    /// <param name="hours">The span, 1 to 168 hours.</param>
    /// <returns>The count, 0 to <paramref name="hours"/>.</returns>
    public int ActiveHours(long nowUtcTicks, int hours = Hours)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, Hours);
        if (!TryVisibleRange(HourOf(nowUtcTicks), hours, out var from, out var to))
        {
            return 0;
        }

        var count = 0;
        var start = Position(from);
        var length = (int)(to - from + 1);
        var firstPart = Math.Min(length, Hours - start);
        count += CountBits(start, firstPart);
        count += CountBits(0, length - firstPart);
        return count;
    }

    /// <summary>The longest run of consecutive active hours within the 168 hours ending with the hour of <paramref name="nowUtcTicks"/>.</summary>
    /// <param name="nowUtcTicks">The event time to evaluate at, UTC ticks.</param>
    /// <returns>The run length in hours, 0 to 168.</returns>
    public int LongestActiveStreakHours(long nowUtcTicks)
    {
        if (!TryVisibleRange(HourOf(nowUtcTicks), Hours, out var from, out var to))
        {
            return 0;
        }

        var longest = 0;
        var current = 0;
        for (var hour = from; hour <= to; hour++)
        {
            current = IsSet(Position(hour)) ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }

        return longest;
    }

    private static long HourOf(long utcTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(utcTicks);
        return utcTicks / TimeSpan.TicksPerHour;
    }

    private static int Position(long hour) => (int)(hour % Hours);

    /// <summary>The hours both in the ring and in the <paramref name="hours"/> ending at <paramref name="nowHour"/>.</summary>
    private bool TryVisibleRange(long nowHour, int hours, out long from, out long to)
    {
        to = Math.Min(nowHour, _lastHour);
        from = Math.Max(nowHour - hours + 1, _lastHour - Hours + 1);
        return _lastHour != NoHour && from <= to;
    }

    private void AdvanceTo(long hour)
    {
        if (_lastHour == NoHour || hour - _lastHour >= Hours)
        {
            _bits = default;
            _lastHour = hour;
            return;
        }

        for (var skipped = _lastHour + 1; skipped <= hour; skipped++)
        {
            var position = Position(skipped);
            _bits[position >> 6] &= ~(1UL << position);
        }

        _lastHour = Math.Max(_lastHour, hour);
    }

    private void Set(long hour)
    {
        if (hour > _lastHour - Hours)
        {
            var position = Position(hour);
            _bits[position >> 6] |= 1UL << position;
        }
    }

    private bool IsSet(int position) => (_bits[position >> 6] & (1UL << position)) != 0;

    /// <summary>Counts the set bits at positions [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>).</summary>
    private int CountBits(int start, int length)
    {
        var count = 0;
        while (length > 0)
        {
            var word = start >> 6;
            var offset = start & 63;
            var take = Math.Min(length, 64 - offset);
            var mask = take == 64 ? ulong.MaxValue : ((1UL << take) - 1) << offset;
            count += BitOperations.PopCount(_bits[word] & mask);
            start += take;
            length -= take;
        }

        return count;
    }
}

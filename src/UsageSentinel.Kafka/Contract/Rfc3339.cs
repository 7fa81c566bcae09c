using System.Numerics;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// A strict RFC 3339 (section 5.6) <c>date-time</c> parser:
/// <c>YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)</c>. The offset is required and preserved.
/// </summary>
/// <remarks>
/// As RFC 3339 allows, <c>T</c> and <c>Z</c> may be lower case, the fraction may have any number of
/// digits (beyond 7, the 100 ns tick, they are truncated) and <c>-00:00</c> means UTC. A leap second
/// (<c>:60</c>) is read as the first instant of the next minute. Rejected: a space or nothing instead
/// of <c>T</c>, a missing offset, week or ordinal dates, out-of-range fields, offsets beyond ±14:00
/// (the <see cref="DateTimeOffset"/> limit) and instants outside <see cref="DateTimeOffset"/>'s range.
/// </remarks>
internal static class Rfc3339
{
    private const int MinLength = 20; // 2026-03-01T12:00:00Z
    private const int MaxOffsetMinutes = 14 * 60;

    /// <summary>Parses UTF-16 text, e.g. a string a JSON reader has already unescaped.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value) => TryParseCore(text, out value);

    /// <summary>
    /// Parses UTF-8 bytes straight from a message, with the same result as the UTF-16 overload on the decoded text:
    /// the parser checks every code unit against ASCII digits and separators, so text with any non-ASCII character
    /// fails in both, whatever its length in either encoding.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, out DateTimeOffset value) => TryParseCore(utf8Text, out value);

    // Generic over the code unit so that one body serves both overloads; the JIT compiles a specialised copy for
    // byte and for char, in which At() is a plain load.
    private static bool TryParseCore<TUnit>(ReadOnlySpan<TUnit> text, out DateTimeOffset value)
        where TUnit : unmanaged, IBinaryInteger<TUnit>
    {
        value = default;
        if (text.Length < MinLength
            || !TryDigits(text, 0, 4, out int year) || At(text, 4) != '-'
            || !TryDigits(text, 5, 2, out int month) || At(text, 7) != '-'
            || !TryDigits(text, 8, 2, out int day) || At(text, 10) is not ('T' or 't')
            || !TryDigits(text, 11, 2, out int hour) || At(text, 13) != ':'
            || !TryDigits(text, 14, 2, out int minute) || At(text, 16) != ':'
            || !TryDigits(text, 17, 2, out int second))
        {
            return false;
        }

        int position = 19;
        long fractionTicks = 0;
        if (At(text, position) == '.')
        {
            int start = ++position;
            long scale = TimeSpan.TicksPerSecond / 10;
            while (position < text.Length && char.IsAsciiDigit(At(text, position)))
            {
                fractionTicks += (At(text, position) - '0') * scale;
                scale /= 10;
                position++;
            }

            if (position == start)
            {
                return false;
            }
        }

        if (!TryOffset(text[position..], out int offsetMinutes))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60 || Math.Abs(offsetMinutes) > MaxOffsetMinutes)
        {
            return false;
        }

        long localTicks = new DateTime(year, month, day).Ticks
            + (hour * TimeSpan.TicksPerHour)
            + (minute * TimeSpan.TicksPerMinute)
            + (second * TimeSpan.TicksPerSecond)
            + fractionTicks;
        long offsetTicks = offsetMinutes * TimeSpan.TicksPerMinute;
        long utcTicks = localTicks - offsetTicks;
        if (localTicks > DateTime.MaxValue.Ticks || utcTicks < 0 || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(localTicks, TimeSpan.FromTicks(offsetTicks));
        return true;
    }

    private static bool TryOffset<TUnit>(ReadOnlySpan<TUnit> text, out int minutes)
        where TUnit : unmanaged, IBinaryInteger<TUnit>
    {
        minutes = 0;
        if (text.Length == 1)
        {
            return At(text, 0) is 'Z' or 'z';
        }

        if (text.Length != 6 || At(text, 0) is not ('+' or '-') || At(text, 3) != ':'
            || !TryDigits(text, 1, 2, out int hours) || !TryDigits(text, 4, 2, out int mins)
            || hours > 23 || mins > 59)
        {
            return false;
        }

        minutes = (At(text, 0) == '-' ? -1 : 1) * ((hours * 60) + mins);
        return true;
    }

    private static bool TryDigits<TUnit>(ReadOnlySpan<TUnit> text, int start, int count, out int value)
        where TUnit : unmanaged, IBinaryInteger<TUnit>
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            char c = At(text, i);
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>The code unit at <paramref name="index"/> as a <see cref="char"/>; a byte above 0x7F maps to a non-ASCII char.</summary>
    private static char At<TUnit>(ReadOnlySpan<TUnit> text, int index)
        where TUnit : unmanaged, IBinaryInteger<TUnit> => (char)ushort.CreateTruncating(text[index]);
}

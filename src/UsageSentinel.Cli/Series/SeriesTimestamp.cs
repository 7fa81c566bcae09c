namespace UsageSentinel.Cli.Series;

/// <summary>
/// Parses the timestamps of a series file from UTF-8: <c>yyyy-MM-dd</c>, optionally followed by <c>T</c> or a space and
/// <c>HH:mm</c>, <c>:ss</c>, a fraction, and <c>Z</c> or an offset. The result is the wall-clock time as written (an offset
/// is checked, not applied), which is what time-of-day seasons need.
/// </summary>
internal static class SeriesTimestamp
{
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTime wallClock)
    {
        wallClock = default;
        if (text.Length < 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var rest = text[10..];
        if (!rest.IsEmpty)
        {
            if ((rest[0] != 'T' && rest[0] != ' ') || rest.Length < 6 || rest[3] != ':'
                || !TryDigits(rest.Slice(1, 2), out hour) || !TryDigits(rest.Slice(4, 2), out minute) || hour > 23 || minute > 59)
            {
                return false;
            }

            rest = rest[6..];
            if (!rest.IsEmpty && rest[0] == ':')
            {
                if (rest.Length < 3 || !TryDigits(rest.Slice(1, 2), out second) || second > 59)
                {
                    return false;
                }

                rest = rest[3..];
                if (!rest.IsEmpty && (rest[0] == '.' || rest[0] == ','))
                {
                    var digits = 0;
                    long scale = TimeSpan.TicksPerSecond;
                    rest = rest[1..];
                    while (!rest.IsEmpty && (uint)(rest[0] - '0') <= 9)
                    {
                        scale /= 10;
                        fractionTicks += (rest[0] - '0') * scale;
                        digits++;
                        rest = rest[1..];
                    }

                    if (digits == 0)
                    {
                        return false;
                    }
                }
            }

            if (!TryZone(rest))
            {
                return false;
            }
        }

        wallClock = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        return true;
    }

    private static bool TryZone(ReadOnlySpan<byte> zone) => zone.Length switch
    {
        0 => true,
        1 => zone[0] is (byte)'Z' or (byte)'z',
        5 => zone[0] is (byte)'+' or (byte)'-' && TryDigits(zone.Slice(1, 4), out var hhmm) && hhmm / 100 <= 23 && hhmm % 100 <= 59,
        6 => zone[0] is (byte)'+' or (byte)'-' && zone[3] == ':' && TryDigits(zone.Slice(1, 2), out var hh) && hh <= 23 && TryDigits(zone.Slice(4, 2), out var mm) && mm <= 59,
        _ => false,
    };

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            var d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }
}

using System.Globalization;
using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Kafka.Contract;

namespace UsageSentinel.Kafka.Tests.Contract;

public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2026-03-01T12:00:00Z", "2026-03-01T12:00:00.0000000+00:00")]
    [InlineData("2026-03-01T12:00:00.123+02:00", "2026-03-01T12:00:00.1230000+02:00")]
    [InlineData("2026-03-01t12:00:00z", "2026-03-01T12:00:00.0000000+00:00")]
    [InlineData("2026-03-01T12:00:00.1Z", "2026-03-01T12:00:00.1000000+00:00")]
    [InlineData("2026-03-01T12:00:00.12345678901234Z", "2026-03-01T12:00:00.1234567+00:00")]
    [InlineData("2026-03-01T12:00:00-00:00", "2026-03-01T12:00:00.0000000+00:00")]
    [InlineData("2026-03-01T12:00:00-14:00", "2026-03-01T12:00:00.0000000-14:00")]
    [InlineData("2026-03-01T12:00:00+05:45", "2026-03-01T12:00:00.0000000+05:45")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    [InlineData("2016-12-31T23:59:60Z", "2017-01-01T00:00:00.0000000+00:00")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999+00:00")]
    public void TryParse_ValidTimestamp_ParsesInstantAndOffset(string text, string expectedRoundTrip)
    {
        Rfc3339.TryParse(text, out DateTimeOffset value).ShouldBeTrue();

        value.ToString("O", CultureInfo.InvariantCulture).ShouldBe(expectedRoundTrip);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-03-01T12:00:00")]
    [InlineData("2026-03-01 12:00:00Z")]
    [InlineData("2026-03-01T12:00:00.123")]
    [InlineData("2026-03-01")]
    [InlineData("2026-03-01T12:00Z")]
    [InlineData("2026-03-01T12:00:00.Z")]
    [InlineData("2026-03-01T12:00:00,5Z")]
    [InlineData("2026-03-01T12:00:00+02")]
    [InlineData("2026-03-01T12:00:00+0200")]
    [InlineData("2026-03-01T12:00:00+02:00:00")]
    [InlineData("2026-03-01T12:00:00UTC")]
    [InlineData("2026-03-01T12:00:00ZZ")]
    [InlineData("2026-03-01T12:00:00Z ")]
    [InlineData(" 2026-03-01T12:00:00Z")]
    [InlineData("2026-3-01T12:00:00Z")]
    [InlineData("26-03-01T12:00:00Z")]
    [InlineData("+2026-03-01T12:00:00Z")]
    [InlineData("2026-13-01T12:00:00Z")]
    [InlineData("2026-00-01T12:00:00Z")]
    [InlineData("2026-02-29T12:00:00Z")]
    [InlineData("2026-04-31T12:00:00Z")]
    [InlineData("2026-03-00T12:00:00Z")]
    [InlineData("2026-03-01T24:00:00Z")]
    [InlineData("2026-03-01T12:60:00Z")]
    [InlineData("2026-03-01T12:00:61Z")]
    [InlineData("2026-03-01T12:00:00+24:00")]
    [InlineData("2026-03-01T12:00:00+14:01")]
    [InlineData("2026-03-01T12:00:00+02:60")]
    [InlineData("0000-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00+00:01")]
    [InlineData("9999-12-31T23:59:59-00:01")]
    [InlineData("9999-12-31T23:59:60Z")]
    [InlineData("2026-W09-1T12:00:00Z")]
    [InlineData("２０２６-03-01T12:00:00Z")]
    public void TryParse_InvalidTimestamp_ReturnsFalse(string text)
    {
        Rfc3339.TryParse(text, out _).ShouldBeFalse();
    }

    [Property(MaxTest = 2000)]
    public void TryParse_AnyInstantFormattedWithOffset_RoundTrips(long ticks, short offsetMinutes)
    {
        int offset = offsetMinutes % (14 * 60);
        long utcTicks = (long)((ulong)ticks % (ulong)(DateTime.MaxValue.Ticks - (2 * TimeSpan.TicksPerDay))) + TimeSpan.TicksPerDay;
        var expected = new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset));
        string text = expected.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);

        Rfc3339.TryParse(text, out DateTimeOffset actual).ShouldBeTrue(text);

        actual.ShouldBe(expected);
        actual.Offset.ShouldBe(expected.Offset);
    }

    [Property(MaxTest = 2000)]
    public void TryParse_AnyString_NeverThrows(string text)
    {
        _ = Rfc3339.TryParse(text ?? string.Empty, out _);
    }
}

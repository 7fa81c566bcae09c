using System.Text;
using UsageSentinel.Cli.Series;

namespace UsageSentinel.Cli.Tests.Series;

public sealed class SeriesTimestampTests
{
    [Theory]
    [InlineData("2014-04-10 07:15:00", "2014-04-10T07:15:00.0000000")]
    [InlineData("2014-04-10T07:15:00", "2014-04-10T07:15:00.0000000")]
    [InlineData("2014-04-10T07:15:00Z", "2014-04-10T07:15:00.0000000")]
    [InlineData("2014-04-10 07:15:00.000000", "2014-04-10T07:15:00.0000000")]
    [InlineData("2014-04-10T07:15:00.1234567Z", "2014-04-10T07:15:00.1234567")]
    [InlineData("2014-04-10T07:15:00.123456789", "2014-04-10T07:15:00.1234567")]
    [InlineData("2014-04-10T07:15:00+02:00", "2014-04-10T07:15:00.0000000")]
    [InlineData("2014-04-10T07:15:00-0530", "2014-04-10T07:15:00.0000000")]
    [InlineData("2014-04-10 07:15", "2014-04-10T07:15:00.0000000")]
    [InlineData("2014-04-10", "2014-04-10T00:00:00.0000000")]
    [InlineData("2024-02-29 23:59:59", "2024-02-29T23:59:59.0000000")]
    public void TryParse_SupportedForms_GiveTheWallClockTime(string text, string expected)
    {
        SeriesTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out var parsed).ShouldBeTrue();
        parsed.ToString("O", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2014-4-10 07:15:00")]
    [InlineData("2014/04/10 07:15:00")]
    [InlineData("2014-13-10 07:15:00")]
    [InlineData("2023-02-29 00:00:00")]
    [InlineData("2014-04-10 24:00:00")]
    [InlineData("2014-04-10 07:60:00")]
    [InlineData("2014-04-10 07:15:61")]
    [InlineData("2014-04-10 07:15:00.")]
    [InlineData("2014-04-10 07:15:00 UTC")]
    [InlineData("2014-04-10X07:15:00")]
    [InlineData("0000-01-01 00:00:00")]
    [InlineData("timestamp")]
    public void TryParse_Malformed_IsFalse(string text) =>
        SeriesTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out _).ShouldBeFalse();
}

using System.Text;
using UsageSentinel.Cli.Series;

namespace UsageSentinel.Cli.Tests.Series;

public sealed class SeriesCsvReaderTests
{
    private static SeriesCsvReader CreateSut(string text) => new(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Read_RowsWithCrLfBlankLinesAndNoFinalNewline_AreReadWithTheirLineNumbers()
    {
        using var sut = CreateSut("timestamp,value\r\n2014-04-10 07:15:00,1.5\r\n\r\n2014-04-10 07:20:00,-2e3");

        sut.ReadHeader().ShouldBeNull();
        sut.Read(out var first, out _).ShouldBe(SeriesReadStatus.Row);
        (first.Line, Encoding.UTF8.GetString(first.TimestampText), Encoding.UTF8.GetString(first.ValueText), first.Value).ShouldBe((2, "2014-04-10 07:15:00", "1.5", 1.5));
        sut.Read(out var second, out _).ShouldBe(SeriesReadStatus.Row);
        (second.Line, second.Value, second.Timestamp).ShouldBe((4, -2000.0, new DateTime(2014, 4, 10, 7, 20, 0)));
        sut.Read(out _, out var error).ShouldBe(SeriesReadStatus.End);
        error.ShouldBeNull();
    }

    [Fact]
    public void Read_ManyRowsAcrossBufferRefills_AreAllRead()
    {
        var text = new StringBuilder("timestamp,value\n");
        for (var i = 0; i < 100_000; i++)
        {
            text.Append(new DateTime(2020, 1, 1).AddMinutes(i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(i).Append('\n');
        }

        using var sut = CreateSut(text.ToString());
        sut.ReadHeader().ShouldBeNull();
        var count = 0;
        while (sut.Read(out var row, out _) == SeriesReadStatus.Row)
        {
            row.Value.ShouldBe(count);
            count++;
        }

        count.ShouldBe(100_000);
    }

    [Fact]
    public void Read_LineLongerThanTheBuffer_IsInvalidNamingIt()
    {
        using var sut = CreateSut("timestamp,value\n2014-04-10 07:15:00,1\n" + new string('9', 2 << 20) + "\n");

        sut.ReadHeader().ShouldBeNull();
        sut.Read(out _, out _).ShouldBe(SeriesReadStatus.Row);
        sut.Read(out _, out var error).ShouldBe(SeriesReadStatus.Invalid);
        error.ShouldNotBeNull().ShouldContain("line 3");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("timestamp;value\n", "two columns")]
    [InlineData("2014-04-10 07:15:00,1\n", "found data")]
    public void ReadHeader_MissingOrMalformed_SaysWhy(string text, string reason)
    {
        using var sut = CreateSut(text);

        sut.ReadHeader().ShouldNotBeNull().ShouldContain(reason);
    }
}

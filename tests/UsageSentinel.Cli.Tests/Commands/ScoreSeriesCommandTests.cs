using System.Globalization;

namespace UsageSentinel.Cli.Tests.Commands;

public sealed class ScoreSeriesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("us-score-series-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ScoreSeries_LevelShift_IsScoredHighAtTheShiftAndLowBefore()
    {
        // Three weeks of 5-minute data with a daily cycle and noise; from day 15 at 10:00 the level is 60 higher for good.
        var input = Path.Combine(_dir, "series.csv");
        var output = Path.Combine(_dir, "scores.csv");
        var start = new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Unspecified);
        var shiftRow = (14 * 288) + 120;
        var random = new Random(11);
        var rows = Enumerable.Range(0, 21 * 288).Select(i =>
        {
            var hour = i % 288 / 12.0;
            var value = 100 + (20 * Math.Sin(2 * Math.PI * hour / 24)) + ((random.NextDouble() - 0.5) * 6) + (i >= shiftRow ? 60 : 0);
            return $"{start.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{value.ToString("0.###", CultureInfo.InvariantCulture)}";
        }).ToList();
        await File.WriteAllLinesAsync(input, ["timestamp,value", .. rows]);

        var result = await CliProcess.RunAsync("score-series", "--input", input, "--output", output);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldContain("6,048 rows, interval 00:05:00");
        var lines = await File.ReadAllLinesAsync(output);
        lines[0].ShouldBe("timestamp,value,anomaly_score");
        lines.Length.ShouldBe(rows.Count + 1);
        var scores = lines.Skip(1).Select((line, i) =>
        {
            var fields = line.Split(',');
            (fields[0] + "," + fields[1]).ShouldBe(rows[i]);
            fields[2].Length.ShouldBe(8); // 6 decimals, e.g. 0.123456
            return double.Parse(fields[2], CultureInfo.InvariantCulture);
        }).ToArray();

        scores.ShouldAllBe(s => s >= 0 && s <= 1);
        scores[shiftRow].ShouldBeGreaterThan(0.9);
        scores[..shiftRow].Max().ShouldBeLessThan(0.99);
        scores[..shiftRow].Count(s => s > 0.9).ShouldBeLessThan(shiftRow / 100);
        scores[(shiftRow + 12)..].Max().ShouldBeLessThan(0.99); // adapted to the new level within the hour
    }

    [Fact]
    public async Task ScoreSeries_IsoTimestampsAndOddFormatting_AreEchoedAsGiven()
    {
        var input = Path.Combine(_dir, "iso.csv");
        var output = Path.Combine(_dir, "iso-scores.csv");
        await File.WriteAllTextAsync(input, "\uFEFFtime,gpus\r\n2020-05-01T00:00:00Z,1e1\r\n2020-05-01T01:00:00.500Z,  12.50\r\n\r\n2020-05-01T02:00:00+02:00,\"11\"\r\n");

        var result = await CliProcess.RunAsync("score-series", "--input", input, "--output", output);

        result.ExitCode.ShouldBe(0, result.Stderr);
        (await File.ReadAllLinesAsync(output)).ShouldBe(
        [
            "timestamp,value,anomaly_score",
            "2020-05-01T00:00:00Z,1e1,0.000000",
            "2020-05-01T01:00:00.500Z,  12.50,0.000000",
            "2020-05-01T02:00:00+02:00,\"11\",0.000000",
        ]);
    }

    [Theory]
    [InlineData("2014-04-10 07:20:00,abc", "line 4", "value 'abc'")]
    [InlineData("2014-04-10 07:20,", "line 4", "value ''")]
    [InlineData("2014-13-10 07:20:00,1", "line 4", "timestamp '2014-13-10 07:20:00'")]
    [InlineData("2014-04-10 07:20:00;1", "line 4", "2 columns")]
    [InlineData("2014-04-10 07:20:00,1,2", "line 4", "2 columns")]
    [InlineData("2014-04-10 07:20:00,NaN", "line 4", "finite")]
    public async Task ScoreSeries_BadRow_ExitsWith3NamingTheLine(string badRow, string line, string detail)
    {
        var input = Path.Combine(_dir, "bad.csv");
        var output = Path.Combine(_dir, "bad-scores.csv");
        var good = Enumerable.Range(0, 200).Select(i => $"2014-04-{11 + (i / 288):00} {i % 288 / 12:00}:{i % 12 * 5:00}:00,{i % 7}");
        await File.WriteAllLinesAsync(input, ["timestamp,value", "2014-04-10 07:10:00,1", "2014-04-10 07:15:00,2", badRow, .. good]);

        var result = await CliProcess.RunAsync("score-series", "--input", input, "--output", output);

        result.ExitCode.ShouldBe(3, result.Stderr);
        result.Stderr.ShouldContain(line);
        result.Stderr.ShouldContain(detail);
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public async Task ScoreSeries_BadRowFarIntoTheFile_ExitsWith3NamingTheLineAndLeavesNoOutput()
    {
        var input = Path.Combine(_dir, "late.csv");
        var output = Path.Combine(_dir, "late-scores.csv");
        var rows = Enumerable.Range(0, 5_000).Select(i => $"{new DateTime(2024, 1, 1).AddMinutes(i):yyyy-MM-dd HH:mm:ss},{i % 13}").ToList();
        rows[4_321] = "2024-01-04 00:01:00,12x";
        await File.WriteAllLinesAsync(input, ["timestamp,value", .. rows]);

        var result = await CliProcess.RunAsync("score-series", "--input", input, "--output", output);

        result.ExitCode.ShouldBe(3, result.Stderr);
        result.Stderr.ShouldContain("line 4323");
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public async Task ScoreSeries_NoHeaderOrMissingFile_ExitsWith3()
    {
        var input = Path.Combine(_dir, "noheader.csv");
        await File.WriteAllLinesAsync(input, ["2014-04-10 07:10:00,1", "2014-04-10 07:15:00,2"]);

        var noHeader = await CliProcess.RunAsync("score-series", "--input", input, "--output", Path.Combine(_dir, "o1.csv"));
        var missing = await CliProcess.RunAsync("score-series", "--input", Path.Combine(_dir, "nope.csv"), "--output", Path.Combine(_dir, "o2.csv"));

        noHeader.ExitCode.ShouldBe(3);
        noHeader.Stderr.ShouldContain("line 1: expected a header row");
        missing.ExitCode.ShouldBe(3);
        missing.Stderr.ShouldContain("does not exist");
    }
}

using System.Globalization;
using System.Text;
using UsageSentinel.Cli.Series;

namespace UsageSentinel.Cli.Tests.Series;

/// <summary>A series file scored by <c>usage-sentinel score-series</c>: its rows and their scores.</summary>
internal sealed record ScoredSeries(string Name, DateTime[] Timestamps, double[] Values, double[] Scores)
{
    /// <summary>Runs the built CLI on <paramref name="input"/> and reads back what it wrote.</summary>
    public static async Task<ScoredSeries> ScoreAsync(string input, string outputDirectory)
    {
        var output = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(input) + ".scores.csv");
        var result = await CliProcess.RunAsync("score-series", "--input", input, "--output", output);
        result.ExitCode.ShouldBe(0, $"{input}: {result.Stderr}");

        var lines = await File.ReadAllLinesAsync(output);
        var inputLines = (await File.ReadAllLinesAsync(input)).Where(l => l.Length > 0).ToArray();
        lines.Length.ShouldBe(inputLines.Length, $"{input}: one output row per input row");
        var timestamps = new DateTime[lines.Length - 1];
        var values = new double[lines.Length - 1];
        var scores = new double[lines.Length - 1];
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            SeriesTimestamp.TryParse(Encoding.UTF8.GetBytes(fields[0]), out timestamps[i - 1]).ShouldBeTrue();
            values[i - 1] = double.Parse(fields[1], CultureInfo.InvariantCulture);
            scores[i - 1] = double.Parse(fields[2], CultureInfo.InvariantCulture);
        }

        return new ScoredSeries(Path.GetFileName(input), timestamps, values, scores);
    }
}

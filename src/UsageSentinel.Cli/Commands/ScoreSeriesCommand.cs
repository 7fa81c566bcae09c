using System.CommandLine;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Cli.Series;
using UsageSentinel.Core.Baselines;

namespace UsageSentinel.Cli.Commands;

/// <summary>
/// <c>usage-sentinel score-series</c>: scores every row of a <c>timestamp,value</c> CSV file online with the seasonal
/// baseline (each row against the rows before it) and writes <c>timestamp,value,anomaly_score</c>.
/// </summary>
internal static class ScoreSeriesCommand
{
    private const string Name = "score-series";

    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "The series: a CSV file with a header row and 'timestamp,value' rows.", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Where to write 'timestamp,value,anomaly_score' rows, one per input row, in order.", Required = true };
        var command = new Command(Name, "Score a univariate time series online with the seasonal baseline: each row against the rows before it, an anomaly score in [0, 1].")
        {
            input,
            output,
        };
        command.SetAction(parse => Run(parse.GetValue(input)!, parse.GetValue(output)!));
        return command;
    }

    private static int Run(FileInfo input, FileInfo output)
    {
        if (!input.Exists)
        {
            return Fail($"input file '{input.FullName}' does not exist");
        }

        var error = InferCalendar(input, out var calendar);
        if (error is not null)
        {
            return Fail($"{input.Name}: {error}");
        }

        var start = TimeProvider.System.GetTimestamp();
        long rows;
        long high;
        try
        {
            error = Score(input, output, calendar, out rows, out high);
        }
        catch (IOException ex)
        {
            error = ex.Message;
            rows = high = 0;
        }

        if (error is not null)
        {
            output.Refresh();
            if (output.Exists)
            {
                output.Delete();
            }

            return Fail($"{input.Name}: {error}");
        }

        var elapsed = TimeProvider.System.GetElapsedTime(start);
        Console.Error.WriteLine(
            $"{Name}: {rows:N0} rows, interval {calendar.Interval}, {calendar.SeasonCount} seasons, {high:N0} scored above 0.99, "
            + $"{rows / Math.Max(elapsed.TotalSeconds, 1e-3):N0} rows/s -> {output.FullName}");
        return ExitCodes.Ok;
    }

    /// <summary>Reads the leading rows to infer the sampling interval, and with it the seasons.</summary>
    private static string? InferCalendar(FileInfo input, out SeasonCalendar calendar)
    {
        calendar = SeasonCalendar.ForInterval(TimeSpan.Zero);
        using var reader = new SeriesCsvReader(OpenRead(input));
        if (reader.ReadHeader() is { } headerError)
        {
            return headerError;
        }

        var leading = new DateTime[SeasonCalendar.InferenceRows];
        var count = 0;
        while (count < leading.Length)
        {
            switch (reader.Read(out var row, out var error))
            {
                case SeriesReadStatus.Row:
                    leading[count++] = row.Timestamp;
                    continue;
                case SeriesReadStatus.Invalid:
                    return error;
            }

            break;
        }

        calendar = SeasonCalendar.ForInterval(SeasonCalendar.InferInterval(leading.AsSpan(0, count)));
        return null;
    }

    private static string? Score(FileInfo input, FileInfo output, SeasonCalendar calendar, out long rows, out long high)
    {
        rows = 0;
        high = 0;
        var baseline = new SeasonalBaseline(calendar.CreateOptions());
        using var reader = new SeriesCsvReader(OpenRead(input));
        if (reader.ReadHeader() is { } headerError)
        {
            return headerError;
        }

        using var writer = new SeriesScoreWriter(new FileStream(output.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan));
        writer.WriteHeader();
        while (true)
        {
            switch (reader.Read(out var row, out var error))
            {
                case SeriesReadStatus.Row:
                    var verdict = baseline.Observe(calendar.SeasonOf(row.Timestamp), row.Value);
                    writer.WriteRow(row.TimestampText, row.ValueText, verdict.Score);
                    rows++;
                    high += verdict.Score > 0.99 ? 1 : 0;
                    continue;
                case SeriesReadStatus.Invalid:
                    return error;
                default:
                    return null;
            }
        }
    }

    private static FileStream OpenRead(FileInfo file) =>
        new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"usage-sentinel {Name}: {message}");
        return ExitCodes.Input;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using UsageSentinel.Cli.Series;
using Xunit.Abstractions;

namespace UsageSentinel.Cli.Tests.Series;

/// <summary>
/// <c>score-series</c> on real public series nobody here wrote (<c>shared/data/README.md</c>): the labelled NAB artificial
/// series and 16 unlabelled GPU tenants of the Helios trace. The bounds are regression guards across all files, not
/// tuned to any one; the tables go to the test output (<c>dotnet test --logger "console;verbosity=detailed"</c>).
/// </summary>
public sealed class RealDataEvaluationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("us-real-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ScoreSeries_NabArtificial_HitsEachWindowEarlyAndStaysQuietWithoutAnomalies()
    {
        var data = Path.Combine(SharedData.Locate(), "nab-artificial");
        using var windowsJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "windows.json")));
        var files = windowsJson.RootElement.EnumerateObject()
            .Select(f => (Name: f.Name, Windows: f.Value.EnumerateArray().Select(w => (Start: Parse(w[0].GetString()!), End: Parse(w[1].GetString()!))).ToArray()))
            .ToArray();
        files.Length.ShouldBe(11);
        var scored = await Task.WhenAll(files.Select(f => ScoredSeries.ScoreAsync(Path.Combine(data, f.Name), _dir)));

        var report = new StringBuilder("| file | max in window | max in window's first 60% | first > 0.99 (% into window) | max outside | rows > 0.99 outside |\n|---|---|---|---|---|---|\n");
        var windowMaxima = new List<double>();
        var hitEarly = 0;
        var quietMaxima = new List<double>();
        foreach (var ((name, windows), series) in files.Zip(scored))
        {
            string inside = "-", early = "-", first = "-";
            foreach (var (start, end) in windows)
            {
                var rows = Enumerable.Range(0, series.Scores.Length).Where(i => series.Timestamps[i] >= start && series.Timestamps[i] <= end).ToArray();
                var earlyEnd = start + ((end - start) * 0.6);
                var max = rows.Max(i => series.Scores[i]);
                var earlyMax = rows.Where(i => series.Timestamps[i] <= earlyEnd).Max(i => series.Scores[i]);
                var firstHigh = rows.Where(i => series.Scores[i] > 0.99).Select(i => (series.Timestamps[i] - start) / (end - start)).DefaultIfEmpty(double.NaN).First();
                windowMaxima.Add(max);
                hitEarly += earlyMax > 0.99 ? 1 : 0;
                (inside, early, first) = (F(max), F(earlyMax), double.IsNaN(firstHigh) ? "never" : firstHigh.ToString("P0", CultureInfo.InvariantCulture));
            }

            var outside = Enumerable.Range(0, series.Scores.Length).Where(i => !windows.Any(w => series.Timestamps[i] >= w.Start && series.Timestamps[i] <= w.End)).ToArray();
            var outsideMax = outside.Max(i => series.Scores[i]);
            if (windows.Length == 0)
            {
                quietMaxima.Add(outsideMax);
            }

            report.Append(CultureInfo.InvariantCulture, $"| {name} | {inside} | {early} | {first} | {F(outsideMax)} | {outside.Count(i => series.Scores[i] > 0.99)} |\n");
        }

        output.WriteLine(report.ToString());
        windowMaxima.Count.ShouldBe(6);
        windowMaxima.ShouldAllBe(m => m >= 0.95);
        hitEarly.ShouldBeGreaterThanOrEqualTo(4, "windows with a score above 0.99 in their first 60%");
        quietMaxima.Count.ShouldBe(5);
        quietMaxima.ShouldAllBe(m => m < 0.99);
    }

    [Fact]
    public async Task ScoreSeries_HeliosGpuTenants_RaisesFewHighScoresNearlyAllAtABigChange()
    {
        var files = Directory.GetFiles(Path.Combine(SharedData.Locate(), "helios-earth-gpu"), "*.csv").Order(StringComparer.Ordinal).ToArray();
        files.Length.ShouldBe(16);
        var scored = await Task.WhenAll(files.Select(f => ScoredSeries.ScoreAsync(f, _dir)));

        var report = new StringBuilder(
            "| tenant | rows | rows > 0.99 | of which not at a big change | rows > 0.9 | incidents (rows > 0.99 an hour apart): start, median of the 2 hours before → value |\n|---|---|---|---|---|---|\n");
        var unexplained = new List<string>();
        foreach (var series in scored)
        {
            var high = Enumerable.Range(0, series.Scores.Length).Where(i => series.Scores[i] > 0.99).ToArray();
            var notAtChange = high.Where(i => !IsBigChange(series, i)).ToArray();
            unexplained.AddRange(notAtChange.Select(i => $"{series.Name} {series.Timestamps[i]:MM-dd HH:mm} value {series.Values[i]}"));
            var incidents = high.Where((i, k) => k == 0 || series.Timestamps[i] - series.Timestamps[high[k - 1]] > TimeSpan.FromHours(1))
                .Select(i => $"{series.Timestamps[i]:MM-dd HH:mm} {Median(series, i):0.#}→{series.Values[i]:0.#}");
            report.Append(CultureInfo.InvariantCulture,
                $"| {series.Name.Replace("_running_gpus.csv", "", StringComparison.Ordinal)} | {series.Scores.Length} | {high.Length} | {notAtChange.Length} | {series.Scores.Count(s => s > 0.9)} | {string.Join("; ", incidents)} |\n");
        }

        var rows = scored.Sum(s => s.Scores.Length);
        var flagged = scored.Sum(s => s.Scores.Count(x => x > 0.99));
        report.Append(CultureInfo.InvariantCulture, $"| all | {rows} | {flagged} ({(double)flagged / rows:P2}) | {unexplained.Count} | {scored.Sum(s => s.Scores.Count(x => x > 0.9))} | |\n");
        report.Append("\nRows > 0.99 not at a big change:\n").AppendJoin('\n', unexplained);
        output.WriteLine(report.ToString());

        scored.ShouldAllBe(s => s.Scores.Count(x => x > 0.99) <= s.Scores.Length / 100);
        flagged.ShouldBeLessThanOrEqualTo(rows * 3 / 1_000);
        unexplained.Count.ShouldBeLessThanOrEqualTo(flagged / 10, "rows > 0.99 where the values did not change much");
    }

    /// <summary>
    /// Whether row <paramref name="i"/> is at a big change: it, or a row within the hour before it, differs from the
    /// median of the two hours before that by at least a quarter of the larger of the two (from 0 GPUs, any use is).
    /// </summary>
    private static bool IsBigChange(ScoredSeries series, int i)
    {
        for (var j = Math.Max(0, i - 12); j <= i; j++)
        {
            var median = Median(series, j);
            var change = Math.Abs(series.Values[j] - median);
            if (change > 0 && change >= 0.25 * Math.Max(Math.Abs(median), Math.Abs(series.Values[j])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The median of the (up to) 24 rows before row <paramref name="i"/>.</summary>
    private static double Median(ScoredSeries series, int i)
    {
        var before = series.Values[Math.Max(0, i - 24)..i].Order().ToArray();
        return before.Length == 0 ? series.Values[i] : before[before.Length / 2];
    }

    private static DateTime Parse(string text)
    {
        SeriesTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out var parsed).ShouldBeTrue();
        return parsed;
    }

    private static string F(double score) => score.ToString("0.0000", CultureInfo.InvariantCulture);
}

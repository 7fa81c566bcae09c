using System.Diagnostics;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Simulation;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.Benchmarks.Harness;

/// <summary>
/// <c>replay_events_per_s</c>: what <c>usage-sentinel replay</c> runs (<see cref="ReplayRunner.Run"/>, default
/// detection options, its warm-up for large inputs, anomalies written to a file) over a simulated NDJSON file. Writing
/// the file is not timed; the warm-up is.
/// </summary>
internal static class ReplayFigure
{
    public static void Run(HarnessScale scale, HarnessReport report)
    {
        var folder = Directory.CreateTempSubdirectory("usage-sentinel-harness-");
        try
        {
            var input = Path.Combine(folder.FullName, "events.ndjson");
            var output = Path.Combine(folder.FullName, "anomalies.ndjson");
            HarnessReport.Progress($"replay: writing {scale.ReplayEvents:N0} simulated events to {input}");

            // About 3 events per account and day: enough accounts and days that the file is cut at the count wanted.
            var simulator = new PopulationSimulator(new SimulationOptions { Seed = 7, Accounts = Math.Max(1_000, scale.ReplayEvents / 40), Duration = TimeSpan.FromDays(20) });
            using (var stream = File.Create(input))
            {
                EventFileWriter.WriteNdjson(stream, simulator.Generate().Take(scale.ReplayEvents));
            }

            HarnessReport.Progress($"replay: replaying {new FileInfo(input).Length / (1 << 20):N0} MiB");
            var pausedBefore = GC.GetTotalPauseDuration();
            int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var started = Stopwatch.GetTimestamp();
            ReplaySummary summary;
            using (var inputStream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            using (var outputStream = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                summary = new ReplayRunner(new DetectionOptions(), GpuCatalog.Default, warmUp: new ReplayWarmUp(WarmUpSample.Create)).Run(inputStream, outputStream, null, null, CancellationToken.None);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var paused = GC.GetTotalPauseDuration() - pausedBefore;
            HarnessReport.Progress($"replay: {summary.Lines:N0} lines, {summary.Processed:N0} processed, {summary.Anomalies:N0} anomalies, {summary.SweepVisits:N0} sweep visits, {summary.PassedOver:N0} account-hours passed over, in {elapsed.TotalSeconds:F1} s");
            HarnessReport.Progress(
                $"replay: GC paused the process {paused.TotalSeconds:F1} s ({paused / elapsed:P0} of the run) in {GC.CollectionCount(0) - collectionsBefore[0]:N0} collections " +
                $"(gen1 {GC.CollectionCount(1) - collectionsBefore[1]:N0}, gen2 {GC.CollectionCount(2) - collectionsBefore[2]:N0})");
            report.Print("replay_events_per_s", summary.Lines / elapsed.TotalSeconds);

            // For experiments: HARNESS_REPLAY_WARM=n replays the file n more times in this (warm) process, on stderr.
            if (int.TryParse(Environment.GetEnvironmentVariable("HARNESS_REPLAY_WARM"), out var warm))
            {
                for (var i = 0; i < warm; i++)
                {
                    var again = Stopwatch.GetTimestamp();
                    using var inputStream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                    using var outputStream = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                    new ReplayRunner(new DetectionOptions(), GpuCatalog.Default).Run(inputStream, outputStream, null, null, CancellationToken.None);
                    HarnessReport.Progress($"replay: warm run {i + 1}: {summary.Lines / Stopwatch.GetElapsedTime(again).TotalSeconds:N0} events/s");
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

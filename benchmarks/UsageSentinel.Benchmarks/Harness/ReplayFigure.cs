using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Simulation;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.Benchmarks.Harness;

/// <summary>
/// <c>replay_events_per_s</c>: <c>usage-sentinel replay --loops</c> (one loop per core) itself over a simulated NDJSON
/// file, in a process of its own (the CLI built next to this harness, with its runtime settings and its warm-up), timed
/// from the process's start to its exit, the median of <see cref="Runs"/> runs that must write the same bytes;
/// <c>replay_one_loop_events_per_s</c> one run with one loop. Writing the file is not timed.
/// </summary>
/// <remarks>
/// Up to session 13 the harness ran <see cref="ReplayRunner.Run"/> in its own process, right after the simulator had
/// written the file: the replay then started with the simulator's garbage in the heap (every collection paid for it)
/// and with this process's JIT state, neither of which the command has. <c>HARNESS_REPLAY_INPROCESS=1</c> still
/// measures that way afterwards, on stderr, with the GC's pause time; <c>HARNESS_REPLAY_WARM=n</c> replays the file n
/// more times in this process (both for experiments; not lines).
/// </remarks>
internal static class ReplayFigure
{
    /// <summary>
    /// Runs of the multi-loop replay; the line is the median. A shared VM's speed moves by 10–20 % within minutes, and
    /// one run of ~10 s catches whatever the neighbours do then; the median of three drops a single slow or fast run.
    /// </summary>
    private const int Runs = 3;

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

                // On disk before the clock starts: otherwise the kernel writes the 1.7 GB back during the replay.
                stream.Flush(flushToDisk: true);
            }

            // The simulator's state is garbage now: give its memory back before the command runs beside this process.
            HarnessRunner.Settle();
            HarnessReport.Progress($"replay: usage-sentinel replay of {new FileInfo(input).Length / (1 << 20):N0} MiB (harness process: {Environment.WorkingSet / (1 << 20):N0} MiB)");
            // One loop per core (two here), as a replay is run on a machine of its own; one loop as well, for comparison.
            var loops = Math.Min(Environment.ProcessorCount, ReplayRunner.MaxLoops);
            var elapsed = MedianOfRuns(input, output, loops);
            report.Print("replay_events_per_s", scale.ReplayEvents / elapsed.TotalSeconds);
            report.Print("replay_loops", loops);
            var oneLoop = elapsed;
            if (loops > 1)
            {
                (oneLoop, var oneSummary) = RunCommand(input, output, 1);
                HarnessReport.Progress($"{oneSummary} (--loops 1, in {oneLoop.TotalSeconds:F1} s from start to exit)");
            }

            report.Print("replay_one_loop_events_per_s", scale.ReplayEvents / oneLoop.TotalSeconds);

            if (Environment.GetEnvironmentVariable("HARNESS_REPLAY_INPROCESS") == "1")
            {
                RunInProcess(input, output, scale.ReplayEvents);
            }

            if (int.TryParse(Environment.GetEnvironmentVariable("HARNESS_REPLAY_WARM"), out var warm))
            {
                for (var i = 0; i < warm; i++)
                {
                    RunInProcess(input, output, scale.ReplayEvents);
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Runs the command <see cref="Runs"/> times and returns the median time. Every run must write the same bytes: a
    /// replay is deterministic, so a difference is a defect, reported as a failed figure.
    /// </summary>
    private static TimeSpan MedianOfRuns(string input, string output, int loops)
    {
        var times = new List<TimeSpan>(Runs);
        byte[]? expected = null;
        for (var run = 1; run <= Runs; run++)
        {
            var (elapsed, summary) = RunCommand(input, output, loops);
            HarnessReport.Progress($"{summary} (--loops {loops}, run {run} of {Runs}, in {elapsed.TotalSeconds:F1} s from start to exit)");
            times.Add(elapsed);
            byte[] digest;
            using (var written = File.OpenRead(output))
            {
                digest = SHA256.HashData(written);
            }

            expected ??= digest;
            if (!digest.AsSpan().SequenceEqual(expected))
            {
                throw new InvalidOperationException($"usage-sentinel replay --loops {loops} wrote other bytes in run {run} than in run 1.");
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Runs the CLI built next to the harness; returns the time from start to exit and its summary line.</summary>
    private static (TimeSpan Elapsed, string Summary) RunCommand(string input, string output, int loops)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "usage-sentinel.dll");
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException("usage-sentinel.dll is not next to the harness; build benchmarks/UsageSentinel.Benchmarks.", cli);
        }

        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { cli, "replay", "--input", input, "--output", output, "--quiet", "--loops", loops.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("usage-sentinel replay did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var errors = stderr.GetAwaiter().GetResult();
        stdout.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"usage-sentinel replay exited with {process.ExitCode}: {errors.Trim()}"));
        }

        var summary = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith("replay: ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"usage-sentinel replay printed no summary: {errors.Trim()}");
        return (elapsed, summary);
    }

    /// <summary><see cref="ReplayRunner.Run"/> in this process, as the harness measured up to session 13 (stderr only).</summary>
    private static void RunInProcess(string input, string output, int events)
    {
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
        HarnessReport.Progress(
            $"replay in process: {events / elapsed.TotalSeconds:N0} events/s ({elapsed.TotalSeconds:F1} s; {summary.Processed:N0} processed, {summary.Anomalies:N0} anomalies, " +
            $"{summary.SweepVisits:N0} sweep visits, {summary.PassedOver:N0} account-hours passed over); GC paused the process {paused.TotalSeconds:F1} s " +
            $"({paused / elapsed:P0}) in {GC.CollectionCount(0) - collectionsBefore[0]:N0} collections (gen1 {GC.CollectionCount(1) - collectionsBefore[1]:N0}, gen2 {GC.CollectionCount(2) - collectionsBefore[2]:N0})");
    }
}

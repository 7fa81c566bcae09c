using System.Diagnostics;

namespace UsageSentinel.Benchmarks.Harness;

/// <summary>
/// <c>engine_events_per_s</c>, <c>engine_bytes_per_event</c>: <see cref="DetectionEngineBenchmarks"/>'s
/// <c>access+billing</c> workload (existing accounts, steady state) on one thread, timed with a stopwatch; the
/// median round is reported, and the bytes are every byte the thread allocated while offering.
/// </summary>
internal static class EngineFigure
{
    public static void Run(HarnessScale scale, HarnessReport report)
    {
        HarnessReport.Progress("engine: warming up the engine with the simulated population");
        var benchmark = new DetectionEngineBenchmarks { Workload = DetectionEngineBenchmarks.AccessAndBilling };
        benchmark.Setup();

        // Steady state: enough batches that the duplicate-id set is full (it grows until then).
        for (var i = 0; i < 1 + ((new Core.Engine.DetectionOptions().DedupCapacity + DetectionEngineBenchmarks.EventsPerBatch - 1) / DetectionEngineBenchmarks.EventsPerBatch); i++)
        {
            benchmark.BuildBatch();
            benchmark.Offer();
        }

        var rates = new List<double>();
        long allocated = 0, events = 0;
        for (var round = 0; round < scale.EngineRounds; round++)
        {
            benchmark.BuildBatch();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            benchmark.Offer();
            const long offered = DetectionEngineBenchmarks.EventsPerBatch;
            var elapsed = Stopwatch.GetElapsedTime(started);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            events += offered;
            rates.Add(offered / elapsed.TotalSeconds);
        }

        HarnessReport.Progress($"engine: rounds {string.Join(", ", rates.Select(r => r.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} events/s");
        report.Print("engine_events_per_s", HarnessReport.Median(rates));
        report.Print("engine_bytes_per_event", (double)allocated / events, allocated == 0 ? 0 : 2);
    }
}

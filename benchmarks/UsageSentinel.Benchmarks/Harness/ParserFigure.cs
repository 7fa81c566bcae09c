using System.Diagnostics;

namespace UsageSentinel.Benchmarks.Harness;

/// <summary>
/// <c>parser_events_per_s</c>, <c>parser_bytes_per_event</c>: <see cref="ContractParserBenchmarks"/> on the
/// population's natural mix of messages, on one thread; the median of five rounds.
/// </summary>
internal static class ParserFigure
{
    public static void Run(HarnessScale scale, HarnessReport report)
    {
        HarnessReport.Progress("parser: parsing the simulated messages");
        var benchmark = new ContractParserBenchmarks { EventType = ContractParserBenchmarks.Mixed };
        benchmark.Setup();
        var perRound = Math.Max(1, scale.ParserEvents / 5 / ContractParserBenchmarks.EventsPerInvocation);
        var rates = new List<double>();
        long allocated = 0, events = 0;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < perRound; i++)
            {
                benchmark.TryParse();
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            var parsed = (long)perRound * ContractParserBenchmarks.EventsPerInvocation;
            events += parsed;
            rates.Add(parsed / elapsed.TotalSeconds);
        }

        report.Print("parser_events_per_s", HarnessReport.Median(rates));
        report.Print("parser_bytes_per_event", (double)allocated / events);
    }
}

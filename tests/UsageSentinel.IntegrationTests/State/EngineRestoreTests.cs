using System.Buffers;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.Kafka.Contract;
using UsageSentinel.Simulation;
using UsageSentinel.TestKit;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>
/// The engine's restore contract without Kafka in between, on a simulated population: an engine checkpointed while
/// its input streams are far apart (one stream's events still waiting for the other's), restored into a fresh engine
/// in another account order and fed again from the restart offsets in another interleaving, ends with every
/// account's complete state — behaviour sketches and baselines included — byte-identical to an engine that ran
/// through, and raises the same anomalies.
/// </summary>
public sealed class EngineRestoreTests
{
    private static readonly string[] Topics = [SimulationTopics.AccountProfiles, SimulationTopics.InstanceEvents, SimulationTopics.BillingEvents];

    [Theory]
    [InlineData(5, 80, new[] { 0.3 })]
    [InlineData(11, 80, new[] { 0.2, 0.45, 0.8 })]
    [InlineData(17, 400, new[] { 0.6, 0.9 })] // enough account-days for the peer baselines to learn (1,000 samples)
    public void Restore_StreamsFarApart_SameCompleteStateAsUninterrupted(int seed, int accounts, double[] checkpointsAt)
    {
        var streams = Streams(seed, accounts);
        var total = streams.Sum(s => s.Count);

        var reference = NewEngine(out var referenceOutput);
        var referenceStates = new Dictionary<string, string>(StringComparer.Ordinal);
        Feed(reference, streams, [.. streams.Select(_ => 0L)], new Random(seed), total);
        Finish(reference, streams.Count);
        Collect(reference, referenceStates);

        var engine = NewEngine(out var output);
        var anomalies = new List<string>();
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var next = streams.Select(_ => 0L).ToArray();
        var order = new Random(seed * 31);
        var offered = 0;
        foreach (var at in checkpointsAt)
        {
            var target = (int)(total * at);
            offered += Feed(engine, streams, next, order, target - offered);

            // Checkpoint: changed accounts, the clock, and where to read again; then a fresh engine takes over.
            Collect(engine, states);
            var clock = new ArrayBufferWriter<byte>();
            engine.WriteClock(clock);
            var waiting = new Dictionary<long, long>();
            engine.LowestWaitingOffsets(waiting);
            engine.Buffered.ShouldBeGreaterThan(0, "the checkpoint is taken while events wait for the slower streams");
            anomalies.AddRange(output.Anomalies.Select(a => $"{a.Anomaly.Detector} {a.Anomaly.AnomalyId}"));
            engine = NewEngine(out output);
            foreach (var (_, hex) in states.OrderByDescending(kv => kv.Key, StringComparer.Ordinal))
            {
                engine.RestoreAccount(Convert.FromHexString(hex));
            }

            engine.ReadClock(clock.WrittenSpan);
            for (var s = 0; s < streams.Count; s++)
            {
                next[s] = waiting.TryGetValue(s, out var lowest) ? lowest : next[s];
            }

            offered = next.Sum(n => (int)n);
        }

        Feed(engine, streams, next, order, total);
        Finish(engine, streams.Count);
        Collect(engine, states);
        anomalies.AddRange(output.Anomalies.Select(a => $"{a.Anomaly.Detector} {a.Anomaly.AnomalyId}"));
        states.Count.ShouldBe(referenceStates.Count);
        var differing = referenceStates.Where(kv => states[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
        differing.ShouldBeEmpty($"{differing.Count} of {referenceStates.Count} accounts differ from the uninterrupted engine's");

        // Linked-account groups live in the link graph, which the worker keeps in its links topic, not in the engine.
        static bool PerAccount(string anomaly) => !anomaly.StartsWith("linked_accounts ", StringComparison.Ordinal);
        var expected = referenceOutput.Anomalies.Select(a => $"{a.Anomaly.Detector} {a.Anomaly.AnomalyId}").Where(PerAccount).Distinct().Order(StringComparer.Ordinal).ToList();
        expected.Count.ShouldBeGreaterThan(5);
        anomalies.Where(PerAccount).Distinct().Order(StringComparer.Ordinal).ShouldBe(expected);
    }

    private static List<List<AccountEvent>> Streams(int seed, int accounts)
    {
        var streams = Topics.Select(_ => new List<AccountEvent>()).ToList();
        foreach (var simulated in new PopulationSimulator(new SimulationOptions { Seed = seed, Accounts = accounts, Duration = TimeSpan.FromDays(9) }).Generate())
        {
            ContractParser.TryParse(simulated.Utf8Json, out var @event, out var error).ShouldBeTrue(error.ToString());
            streams[Array.IndexOf(Topics, simulated.Topic)].Add(@event!);
        }

        streams.ShouldAllBe(s => s.Count > 0);
        return streams;
    }

    /// <summary>
    /// Offers up to <paramref name="count"/> events from the streams' positions, in chunks of random length from a
    /// random stream so that the streams drift far apart (as partitions of different topics do).
    /// </summary>
    private static int Feed(DetectionEngine<int> engine, List<List<AccountEvent>> streams, long[] next, Random order, int count)
    {
        engine.RetainStreams([.. Enumerable.Range(0, streams.Count).Select(s => (long)s)]);
        var offered = 0;
        MarkCaughtUp(engine, streams, next);
        while (offered < count && Enumerable.Range(0, streams.Count).Any(s => next[s] < streams[s].Count))
        {
            var s = order.Next(streams.Count);
            for (var n = order.Next(1, 400); n > 0 && next[s] < streams[s].Count && offered < count; n--, offered++)
            {
                engine.Offer(streams[s][(int)next[s]], 0, new InputOffset(s, next[s]));
                next[s]++;
            }

            MarkCaughtUp(engine, streams, next);
        }

        return offered;
    }

    /// <summary>A stream read to its end is idle, as the worker declares an input partition read to its end.</summary>
    private static void MarkCaughtUp(DetectionEngine<int> engine, List<List<AccountEvent>> streams, long[] next)
    {
        for (var s = 0; s < streams.Count; s++)
        {
            if (next[s] == streams[s].Count)
            {
                engine.SetStreamIdle(s, idle: true);
            }
        }
    }

    private static void Finish(DetectionEngine<int> engine, int streams)
    {
        for (var s = 0; s < streams; s++)
        {
            engine.SetStreamIdle(s, idle: true);
        }

        engine.Buffered.ShouldBe(0);
    }

    private static void Collect(DetectionEngine<int> engine, Dictionary<string, string> states) =>
        engine.ExportChanges((id, bytes) => states[id] = Convert.ToHexString(bytes.Span));

    private static DetectionEngine<int> NewEngine(out RecordingOutput<int> output)
    {
        output = new RecordingOutput<int>();
        var engine = new DetectionEngine<int>(new DetectionOptions { AllowedLateness = TimeSpan.Zero }, GpuCatalog.Default, output);
        engine.TrackChanges();
        return engine;
    }
}

using System.Buffers;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.TestKit;

namespace UsageSentinel.Core.Tests.Engine;

/// <summary>
/// The engine's side of a checkpoint: the clock it saves besides the accounts, the offsets input is read again from,
/// and processing that does not depend on how several input streams interleave.
/// </summary>
public class EngineCheckpointTests
{
    private const long Instances = 101;
    private const long Billing = 202;
    private static readonly DateTimeOffset T0 = Some.Epoch;

    [Fact]
    public void Clock_WrittenAndReadBack_WritesTheSameBytes()
    {
        var engine = NewEngine(out _);
        Feed(engine, Interleave(InstanceStream(), BillingStream(), instancesFirst: true));
        var clock = new ArrayBufferWriter<byte>();
        engine.WriteClock(clock);

        var restored = NewEngine(out _);
        restored.ReadClock(clock.WrittenSpan);
        var again = new ArrayBufferWriter<byte>();
        restored.WriteClock(again);

        again.WrittenSpan.ToArray().ShouldBe(clock.WrittenSpan.ToArray());
        clock.WrittenCount.ShouldBeGreaterThan(40);
    }

    [Fact]
    public void ReadClock_TruncatedOrForeign_ThrowsNamingTheField()
    {
        var engine = NewEngine(out _);
        Feed(engine, Interleave(InstanceStream(), BillingStream(), instancesFirst: true));
        var clock = new ArrayBufferWriter<byte>();
        engine.WriteClock(clock);
        var bytes = clock.WrittenSpan.ToArray();

        Should.Throw<InvalidDataException>(() => NewEngine(out _).ReadClock("USAS\u0001"u8)).Message.ShouldContain("magic");
        for (var cut = 5; cut < 29; cut++) // 29 bytes: processed, next boundary, newest offered; the streams may be absent
        {
            Should.Throw<InvalidDataException>(() => NewEngine(out _).ReadClock(bytes.AsSpan(0, cut)));
        }
    }

    [Fact]
    public void Offer_TwoStreamsInterleavedDifferently_SameStateAndAnomalies()
    {
        var instances = InstanceStream();
        var billing = BillingStream();
        var first = NewEngine(out var firstOutput);
        Feed(first, Interleave(instances, billing, instancesFirst: true));
        var second = NewEngine(out var secondOutput);
        Feed(second, Interleave(instances, billing, instancesFirst: false));

        Export(second).ShouldBe(Export(first));
        secondOutput.Anomalies.Select(a => a.Anomaly.AnomalyId).ShouldBe(firstOutput.Anomalies.Select(a => a.Anomaly.AnomalyId));
        first.Buffered.ShouldBeGreaterThan(0, "the slowest stream holds the newest events back");
    }

    [Fact]
    public void SetStreamIdle_SlowStreamCaughtUp_ReleasesWhatItHeldBack()
    {
        var engine = NewEngine(out var output);
        engine.RetainStreams([Instances, Billing]);
        var launch = A.Launch("acct", "i-1", T0);
        engine.Offer(launch, 1, new InputOffset(Instances, 0));
        engine.Offer(A.Access("acct", T0.AddHours(3), "alice"), 2, new InputOffset(Instances, 1));
        output.Done.ShouldBeEmpty("billing has delivered nothing yet");

        engine.SetStreamIdle(Billing, idle: true);

        output.Done.Select(d => d.Token).ShouldBe([1]);
        var waiting = new Dictionary<long, long>();
        engine.LowestWaitingOffsets(waiting);
        waiting.ShouldBe(new Dictionary<long, long> { [Instances] = 1 });
    }

    [Fact]
    public void Sweep_AfterRestoreInAnotherOrder_EvaluatesAccountsInTheOrderTheyJoined()
    {
        // Peer baselines learn from accounts in the order a sweep visits them, so a restored engine must keep it.
        var original = new SweepOrderOutput();
        var engine = new DetectionEngine<int>(new DetectionOptions { AllowedLateness = TimeSpan.Zero }, GpuCatalog.Default, original);
        engine.TrackChanges();
        string[] joined = ["acct-c", "acct-a", "acct-d", "acct-b"];
        for (var i = 0; i < joined.Length; i++)
        {
            engine.Offer(A.Launch(joined[i], $"i-{i}", T0.AddMinutes(i)), i, new InputOffset(Instances, i));
        }

        engine.SetStreamIdle(Instances, idle: true);
        var states = new List<byte[]>();
        engine.ExportChanges((_, bytes) => states.Add(bytes.ToArray()));
        var clock = new ArrayBufferWriter<byte>();
        engine.WriteClock(clock);

        var restoredOutput = new SweepOrderOutput();
        var restored = new DetectionEngine<int>(new DetectionOptions { AllowedLateness = TimeSpan.Zero }, GpuCatalog.Default, restoredOutput);
        foreach (var state in Enumerable.Reverse(states))
        {
            restored.RestoreAccount(state);
        }

        restored.ReadClock(clock.WrittenSpan);
        restored.RetainStreams([Instances]);
        var next = A.Launch("acct-e", "i-9", T0.AddHours(3));
        engine.Offer(next, 9, new InputOffset(Instances, 9));
        restored.Offer(next, 9, new InputOffset(Instances, 9));
        restored.SetStreamIdle(Instances, idle: true);

        original.Evaluated.ShouldBe(["acct-c", "acct-a", "acct-d", "acct-b"]);
        restoredOutput.Evaluated.ShouldBe(original.Evaluated);
    }

    private static DetectionEngine<int> NewEngine(out RecordingOutput<int> output)
    {
        output = new RecordingOutput<int>();
        var engine = new DetectionEngine<int>(new DetectionOptions(), GpuCatalog.Default, output);
        engine.TrackChanges();
        return engine;
    }

    private static List<AccountEvent> InstanceStream()
    {
        var events = new List<AccountEvent>();
        for (var h = 0; h < 48; h++)
        {
            events.Add(A.Launch($"acct-{h % 5}", $"i-{h}", T0.AddHours(h)));
            events.Add(A.Access($"acct-{h % 5}", T0.AddHours(h).AddMinutes(30), $"user-{h % 3}"));
            if (h >= 2)
            {
                events.Add(A.Terminate($"acct-{(h - 2) % 5}", $"i-{h - 2}", T0.AddHours(h).AddMinutes(45)));
            }
        }

        return [.. events.OrderBy(e => e.OccurredAt)];
    }

    private static List<AccountEvent> BillingStream() =>
        [.. Enumerable.Range(0, 48).Select(h => A.Charge($"acct-{h % 5}", T0.AddHours(h).AddMinutes(30), 100m + h))];

    /// <summary>Each stream in its own order, merged in two different ways: all of one first in chunks, or the other.</summary>
    private static List<(AccountEvent Event, InputOffset Input)> Interleave(List<AccountEvent> instances, List<AccountEvent> billing, bool instancesFirst)
    {
        var merged = new List<(AccountEvent, InputOffset)>();
        int i = 0, b = 0, chunk = instancesFirst ? 17 : 5;
        while (i < instances.Count || b < billing.Count)
        {
            for (var n = 0; n < chunk && i < instances.Count; n++, i++)
            {
                merged.Add((instances[i], new InputOffset(Instances, i)));
            }

            for (var n = 0; n < (instancesFirst ? 3 : 11) && b < billing.Count; n++, b++)
            {
                merged.Add((billing[b], new InputOffset(Billing, b)));
            }
        }

        return merged;
    }

    private static void Feed(DetectionEngine<int> engine, List<(AccountEvent Event, InputOffset Input)> events)
    {
        engine.RetainStreams([Instances, Billing]);
        for (var n = 0; n < events.Count; n++)
        {
            engine.Offer(events[n].Event, n, events[n].Input);
        }
    }

    private static List<string> Export(DetectionEngine<int> engine)
    {
        var states = new List<string>();
        engine.ExportChanges((id, bytes) => states.Add($"{id} {Convert.ToHexString(bytes.Span)}"));
        return [.. states.Order(StringComparer.Ordinal)];
    }

    private sealed class SweepOrderOutput : IDetectionOutput<int>
    {
        public List<string> Evaluated { get; } = [];

        public bool WantsAccountUsage => true;

        public void OnAccountEvaluated(AccountComputeSummary summary, double dailySpend)
        {
            if (!Evaluated.Contains(summary.AccountId))
            {
                Evaluated.Add(summary.AccountId);
            }
        }

        public void OnAnomaly(UsageSentinel.Core.Anomalies.AnomalyDetected anomaly, int token)
        {
        }

        public void OnEventDone(int token, EventOutcome outcome)
        {
        }

        public void OnUnknownInstanceType(string instanceType, string? gpuModel)
        {
        }
    }
}

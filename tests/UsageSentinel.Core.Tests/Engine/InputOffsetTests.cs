using System.Buffers;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.TestKit;

namespace UsageSentinel.Core.Tests.Engine;

/// <summary>
/// Exactly-once state effect across a restore: a snapshot taken while events wait in the reorder buffer, restored in
/// a fresh engine that consumes again from the last committed offset, ends in the state of an uninterrupted run.
/// </summary>
public class InputOffsetTests
{
    private const long Stream = 7;
    private static readonly DateTimeOffset T0 = Some.Epoch;
    private static readonly string[] Accounts = ["a", "b", "c"];

    [Fact]
    public void Offer_SameOffsetTwice_SecondIsDuplicate()
    {
        var output = new RecordingOutput<int>();
        var engine = new DetectionEngine<int>(new DetectionOptions(), GpuCatalog.Default, output);
        var first = A.Access("a", T0, "alice");
        var copy = A.Access("a", T0, "alice") with { EventId = "another-id" };

        engine.Offer(first, 1, new InputOffset(Stream, 10));
        engine.Offer(copy, 2, new InputOffset(Stream, 10));

        output.Done.ShouldContain((2, EventOutcome.Duplicate));
        engine.Counters.Duplicates.ShouldBe(1);
    }

    [Fact]
    public void Import_SnapshotsWithWaitingEvents_ReconsumedFromCommittedOffset_SameStateAsUninterrupted()
    {
        var events = Stream_();
        var whole = NewEngine(out _);
        for (var i = 0; i < events.Count; i++)
        {
            whole.Offer(events[i], i, new InputOffset(Stream, i));
        }

        whole.Flush();
        var expected = Accounts.ToDictionary(a => a, a => Compute(whole, a));
        var cutsWithAppliedBeyondCommit = 0;

        for (var cut = 20; cut < events.Count; cut += 7)
        {
            // Interrupted after `cut` events: the snapshot holds what was applied; waiting events are not committed.
            var before = NewEngine(out var beforeOutput);
            for (var i = 0; i < cut; i++)
            {
                before.Offer(events[i], i, new InputOffset(Stream, i));
            }

            var snapshot = Export(before);
            var done = beforeOutput.Done.Select(d => d.Token).ToHashSet();
            var committed = Enumerable.Range(0, cut + 1).First(i => !done.Contains(i)); // the contiguous done prefix
            var appliedBeyondCommit = done.Count(i => i > committed);
            cutsWithAppliedBeyondCommit += appliedBeyondCommit > 0 ? 1 : 0;

            var after = NewEngine(out var afterOutput);
            foreach (var bytes in snapshot.Values)
            {
                after.ImportAccount(bytes);
            }

            for (var i = committed; i < events.Count; i++)
            {
                after.Offer(events[i], i, new InputOffset(Stream, i));
            }

            after.Flush();

            afterOutput.Done.Count(d => d.Outcome == EventOutcome.Duplicate).ShouldBe(appliedBeyondCommit, $"cut {cut}: exactly the re-consumed events the snapshot reflects are skipped");
            // Compute is exact; the rest of the state also depends on engine-wide evaluation times, not restored yet.
            foreach (var account in Accounts)
            {
                Compute(after, account).ShouldBe(expected[account], $"cut {cut}, account {account}");
            }
        }

        cutsWithAppliedBeyondCommit.ShouldBeGreaterThan(5, "the stream must apply events beyond the committed offset (event-time order) at many cuts");
    }

    private static DetectionEngine<int> NewEngine(out RecordingOutput<int> output)
    {
        output = new RecordingOutput<int>();
        var options = new DetectionOptions { AllowedLateness = TimeSpan.FromHours(1) };
        return new DetectionEngine<int>(options, GpuCatalog.Default, output);
    }

    /// <summary>Launches, accesses with event times out of order within the lateness, terminations; one stream.</summary>
    private static List<AccountEvent> Stream_()
    {
        var random = new Random(5);
        var events = new List<AccountEvent>();
        foreach (var account in Accounts)
        {
            events.Add(A.Launch(account, $"{account}-i0", T0.AddMinutes(1)));
        }

        for (var n = 0; n < 450; n++)
        {
            var at = T0.AddMinutes(5 + (n * 6) - random.Next(0, 40));
            var account = Accounts[n % Accounts.Length];
            events.Add(n % 97 == 96
                ? A.Terminate(account, $"{account}-i0", at)
                : A.Access(account, at, $"p{n % 5}", "US"));
            if (n % 97 == 96)
            {
                events.Add(A.Launch(account, $"{account}-i0", at.AddMinutes(2)));
            }
        }

        return events;
    }

    private static Dictionary<string, byte[]> Export(DetectionEngine<int> engine)
    {
        var result = new Dictionary<string, byte[]>();
        foreach (var account in Accounts)
        {
            var buffer = new ArrayBufferWriter<byte>();
            if (engine.TryExportAccount(account, buffer))
            {
                result[account] = buffer.WrittenSpan.ToArray();
            }
        }

        return result;
    }

    private static string Compute(DetectionEngine<int> engine, string account)
    {
        var s = engine.Inspect(account)!;
        return $"{s.GpuHours:F6}|{s.RunningGpus}|{s.PeakGpus}|{s.OpenInstances}|{s.RollingEstimatedFlop:E6}";
    }
}

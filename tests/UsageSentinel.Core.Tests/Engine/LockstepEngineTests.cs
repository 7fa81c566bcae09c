using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.TestKit;

namespace UsageSentinel.Core.Tests.Engine;

public sealed class LockstepEngineTests
{
    private readonly DetectionOptions _options = new();
    private readonly RecordingOutput<int> _output = new();
    private readonly DateTimeOffset _t0 = Some.Epoch;

    [Fact]
    public void AdvanceTo_WithoutLockstep_Throws()
    {
        var sut = new DetectionEngine<int>(_options, GpuCatalog.Default, _output);

        Should.Throw<InvalidOperationException>(() => sut.AdvanceTo(_t0.UtcTicks, _t0.UtcTicks));
        Should.Throw<InvalidOperationException>(() => sut.FinishLockstep(_t0.UtcTicks));
    }

    [Fact]
    public void Offer_InLockstepWithAnInputPosition_Throws()
    {
        var sut = new DetectionEngine<int>(_options, GpuCatalog.Default, _output, lockstep: new RecordingLockstep());

        Should.Throw<InvalidOperationException>(() => sut.Offer(A.Access("a", _t0), 0, new InputOffset(0, 0)));
        sut.Buffered.ShouldBe(0);
    }

    [Fact]
    public void Offer_InLockstep_WaitsForTheSharedClock()
    {
        var lockstep = new RecordingLockstep();
        var sut = new DetectionEngine<int>(_options, GpuCatalog.Default, _output, lockstep: lockstep);

        // Two hours of its own events release nothing: only the clock moves the watermark.
        sut.Offer(A.Access("a", _t0.AddMinutes(10)), 0);
        sut.Offer(A.Access("a", _t0.AddHours(2)), 1);

        _output.Done.ShouldBeEmpty();
        sut.Buffered.ShouldBe(2);
        lockstep.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void AdvanceTo_MeetsEveryBoundaryTheWatermarkPasses_AfterTheEventsBeforeIt()
    {
        var lockstep = new RecordingLockstep();
        var sut = new DetectionEngine<int>(_options, GpuCatalog.Default, _output, lockstep: lockstep);
        lockstep.Engine = sut;
        AccountEvent[] events = [A.Access("a", _t0.AddMinutes(10)), A.Access("a", _t0.AddMinutes(70)), A.Access("b", _t0.AddHours(4))];
        for (var i = 0; i < events.Length; i++)
        {
            sut.Offer(events[i], i);
        }

        // Another loop read up to 05:30: the watermark (an hour of lateness) is 04:30.
        sut.AdvanceTo(_t0.AddHours(5.5).UtcTicks, events[0].OccurredAt.UtcTicks);

        lockstep.Calls.ShouldBe([
            ("boundary", _t0.AddHours(1).UtcTicks, 1L),
            ("boundary", _t0.AddHours(2).UtcTicks, 2L),
            ("boundary", _t0.AddHours(3).UtcTicks, 2L), // no event of this loop in the hour: met all the same
            ("boundary", _t0.AddHours(4).UtcTicks, 2L), // the event at 04:00 comes after the boundary's sweep
        ]);
        sut.Counters.Processed.ShouldBe(3);

        sut.AdvanceTo(_t0.AddHours(6.25).UtcTicks, events[0].OccurredAt.UtcTicks, final: true);
        sut.FinishLockstep(_t0.AddHours(6.25).UtcTicks);

        lockstep.Calls.Select(c => c.Ticks).ShouldBe(Enumerable.Range(1, 6).Select(h => _t0.AddHours(h).UtcTicks));
    }

    [Fact]
    public void AdvanceTo_ClockBeforeTheFirstEventsRelease_MeetsNothing()
    {
        var lockstep = new RecordingLockstep();
        var sut = new DetectionEngine<int>(_options, GpuCatalog.Default, _output, lockstep: lockstep);
        sut.Offer(A.Access("a", _t0.AddMinutes(10)), 0);

        sut.AdvanceTo(_t0.AddMinutes(50).UtcTicks, _t0.AddMinutes(10).UtcTicks);

        lockstep.Calls.ShouldBeEmpty();
        sut.Counters.Processed.ShouldBe(0);
    }

    private sealed class RecordingLockstep : ILockstep
    {
        public DetectionEngine<int>? Engine { get; set; }

        public List<(string Step, long Ticks, long ProcessedBefore)> Calls { get; } = [];

        public void AtBoundary(int loopIndex, long boundaryTicks) => Calls.Add(("boundary", boundaryTicks, Engine?.Counters.Processed ?? -1));

        public void AfterSnapshot(int loopIndex, long boundaryTicks) => Calls.Add(("snapshot", boundaryTicks, Engine?.Counters.Processed ?? -1));
    }
}

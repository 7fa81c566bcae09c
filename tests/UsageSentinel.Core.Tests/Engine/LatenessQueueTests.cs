using System.Runtime.CompilerServices;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Core.Tests.Engine;

public sealed class LatenessQueueTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.05)]
    [InlineData(3, 0.5)]
    [InlineData(4, 1.0)]
    public void TryDequeue_MixedOrderArrivals_TakesOutInPriorityOrderUpToTheWatermark(int seed, double outOfOrderShare)
    {
        // Mostly increasing event times with a share of arrivals from the past, and a watermark that trails: the
        // same order as a plain priority queue gives, across ring growth and interleaved removals.
        var random = new Random(seed);
        var sut = new LatenessQueue<int>();
        var reference = new PriorityQueue<int, (long, long, long)>();
        var taken = new List<int>();
        var expected = new List<int>();
        long newest = 0;
        for (var i = 0; i < 20_000; i++)
        {
            newest += random.Next(0, 3);
            var ticks = random.NextDouble() < outOfOrderShare ? newest - random.Next(0, 200) : newest;
            var priority = (ticks, (long)random.Next(0, 3), (long)i);
            sut.Enqueue(i, priority);
            reference.Enqueue(i, priority);
            var watermark = newest - random.Next(0, 150);
            while (sut.TryDequeue(watermark, out var item))
            {
                taken.Add(item);
            }

            while (reference.TryPeek(out _, out var first) && first.Item1 <= watermark)
            {
                expected.Add(reference.Dequeue());
            }

            sut.Count.ShouldBe(reference.Count);
        }

        while (sut.TryDequeue(long.MaxValue, out var rest))
        {
            taken.Add(rest);
        }

        while (reference.Count > 0)
        {
            expected.Add(reference.Dequeue());
        }

        taken.ShouldBe(expected);
    }

    [Fact]
    public void Items_HoldsEveryWaitingElementOnce()
    {
        var sut = new LatenessQueue<int>();
        sut.Enqueue(1, (10, 0, 1));
        sut.Enqueue(2, (20, 0, 2));
        sut.Enqueue(3, (5, 0, 3));
        sut.Enqueue(4, (30, 0, 4));
        sut.TryDequeue(5, out var first).ShouldBeTrue();
        first.ShouldBe(3);

        sut.Items.Order().ShouldBe([1, 2, 4]);
        sut.Count.ShouldBe(3);
    }

    [Fact]
    public void TryDequeue_AfterABurstDrains_KeepsOnlyTheSegmentInUseAndAFewSpares()
    {
        // A backlog of 100,000 in-order elements spans ~200 segments; once it has drained, the queue holds what a quiet
        // queue holds, instead of keeping the burst's size for ever.
        var sut = new LatenessQueue<int>();
        for (var i = 0; i < 100_000; i++)
        {
            sut.Enqueue(i, (i, 0, i));
        }

        sut.SegmentCount.ShouldBe(100_000 / LatenessQueue<int>.SegmentLength + 1);
        for (var i = 0; i < 100_000; i++)
        {
            sut.TryDequeue(long.MaxValue, out var item).ShouldBeTrue();
            item.ShouldBe(i);
        }

        sut.Count.ShouldBe(0);
        sut.SegmentCount.ShouldBeLessThanOrEqualTo(1 + LatenessQueue<int>.MaxSpareSegments);
        sut.Items.ShouldBeEmpty();
    }

    [Fact]
    public void EnqueueAndTryDequeue_SteadyWindowAcrossSegments_AllocateNothing()
    {
        // The engine's steady state: an hour of events waits, one comes in and one goes out per event. Emptied segments
        // are reused, so once the window is built nothing more is allocated.
        var sut = new LatenessQueue<string>();
        var item = "event";
        const int Window = 3 * LatenessQueue<string>.SegmentLength;
        long next = 0;
        for (; next < Window; next++)
        {
            sut.Enqueue(item, (next, 0, next));
        }

        void Cycle(int events)
        {
            for (var i = 0; i < events; i++, next++)
            {
                sut.Enqueue(item, (next, 0, next));
                sut.TryDequeue(next - Window, out _).ShouldBeTrue();
            }
        }

        Cycle(10 * LatenessQueue<string>.SegmentLength); // warm: the spare list fills
        var before = GC.GetAllocatedBytesForCurrentThread();
        Cycle(10 * LatenessQueue<string>.SegmentLength);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.ShouldBe(0);
        sut.Count.ShouldBe(Window);
    }

    [Fact]
    public void Items_AcrossSegments_HoldsEveryWaitingElementOnce()
    {
        var sut = new LatenessQueue<int>();
        var total = (2 * LatenessQueue<int>.SegmentLength) + 7;
        for (var i = 0; i < total; i++)
        {
            sut.Enqueue(i, (10 + i, 0, i));
        }

        sut.Enqueue(-1, (0, 0, -1)); // out of order: the heap
        for (var i = 0; i < LatenessQueue<int>.SegmentLength + 3; i++)
        {
            sut.TryDequeue(long.MaxValue, out _).ShouldBeTrue();
        }

        var expected = Enumerable.Range(LatenessQueue<int>.SegmentLength + 2, total - LatenessQueue<int>.SegmentLength - 2).ToList();
        sut.Items.Order().ShouldBe(expected);
        sut.Count.ShouldBe(expected.Count);
    }

    [Fact]
    public void PeekAhead_AcrossASegmentBoundary_GivesTheInOrderItemsThatComeNextAndNothingPastThem()
    {
        var sut = new LatenessQueue<int>();
        var length = LatenessQueue<int>.SegmentLength;
        for (var i = 0; i < length + 10; i++)
        {
            sut.Enqueue(i, (10 + i, 0, i));
        }

        sut.Enqueue(-1, (0, 0, -1)); // out of order: the heap, which PeekAhead does not look into
        for (var i = 0; i < length - 3; i++)
        {
            sut.TryDequeue(long.MaxValue, out _).ShouldBeTrue(); // the heap's item first, then ring items 0 .. length - 5
        }

        // The ring's head is now item length - 4, three places before its first segment ends.
        for (var ahead = 0; ahead < 14; ahead++)
        {
            var peeked = sut.PeekAhead(ahead);
            peeked.ShouldBe(length - 4 + ahead);
        }

        Unsafe.IsNullRef(in sut.PeekAhead(14)).ShouldBeTrue();
        Unsafe.IsNullRef(in new LatenessQueue<int>().PeekAhead(0)).ShouldBeTrue();
        for (var ahead = 0; ahead < 14; ahead++)
        {
            sut.TryDequeue(long.MaxValue, out var taken).ShouldBeTrue();
            taken.ShouldBe(length - 4 + ahead, "peeking takes nothing out");
        }
    }
}

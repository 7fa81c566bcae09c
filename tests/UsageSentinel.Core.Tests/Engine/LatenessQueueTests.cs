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
}

using System.Runtime.CompilerServices;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Tests.Engine;

public sealed class EventIdSetTests
{
    [Fact]
    public void Add_IdSeenBefore_ReturnsFalseAcrossGrowth()
    {
        var sut = new EventIdSet(10_000);
        for (var i = 0; i < 5_000; i++)
        {
            sut.Add($"e-{i}").ShouldBeTrue();
        }

        for (var i = 0; i < 5_000; i += 7)
        {
            sut.Add($"e-{i}").ShouldBeFalse($"e-{i}");
        }

        sut.Count.ShouldBe(5_000);
    }

    [Fact]
    public void Add_BeyondCapacity_ForgetsTheOldestFirst()
    {
        var sut = new EventIdSet(3_000);
        for (var i = 0; i < 4_000; i++)
        {
            sut.Add($"e-{i}").ShouldBeTrue();
        }

        sut.Count.ShouldBe(3_000);
        sut.Add("e-3999").ShouldBeFalse();
        sut.Add("e-1000").ShouldBeFalse();
        sut.Add("e-999").ShouldBeTrue("the 1,000 oldest were forgotten");
        sut.Add("e-1000").ShouldBeTrue("adding one more forgot the then oldest");
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(7, 2, false)]
    [InlineData(1_000, 3, false)]
    [InlineData(5_000, 4, false)]
    [InlineData(1, 5, true)]
    [InlineData(7, 6, true)]
    [InlineData(5_000, 7, true)]
    public void Add_RandomIdsAndRepeats_AnswersLikeTheLastCapacityIdsSeen(int capacity, int seed, bool presize)
    {
        // Few distinct ids, so repeats are frequent both inside and outside the remembered window.
        var random = new Random(seed);
        var sut = new EventIdSet(capacity, presize);
        var order = new Queue<string>();
        var held = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < 60_000; n++)
        {
            var id = $"id-{random.Next(capacity * 3)}";
            var expected = held.Add(id);
            if (expected)
            {
                order.Enqueue(id);
                if (order.Count > capacity)
                {
                    held.Remove(order.Dequeue());
                }
            }

            sut.Add(id).ShouldBe(expected, $"event {n}, {id}");
        }

        sut.Count.ShouldBe(held.Count);
    }

    [Theory]
    [InlineData(1_000, false)]
    [InlineData(1_000, true)]
    [InlineData(3, false)]
    public void Prefetch_OfComingIdsAtAnyDistance_ChangesNoAnswer(int capacity, bool presize)
    {
        var random = new Random(capacity);
        var ids = Enumerable.Range(0, 30_000).Select(_ => $"id-{random.Next(capacity * 3)}").ToArray();
        var plain = new EventIdSet(capacity, presize);
        var prefetched = new EventIdSet(capacity, presize);

        for (var n = 0; n < ids.Length; n++)
        {
            var ahead = random.Next(0, 20);
            if (n + ahead < ids.Length)
            {
                prefetched.Prefetch(StableHash.Of(ids[n + ahead]), ahead);
            }

            prefetched.Add(StableHash.Of(ids[n])).ShouldBe(plain.Add(ids[n]), $"event {n}, {ids[n]}");
        }

        prefetched.Count.ShouldBe(plain.Count);
    }

    [Fact]
    public void Add_Presized_AllocatesNothingFromTheFirstId()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"event-{i}").ToArray();
        AddAll(new EventIdSet(10_000, presize: true), ids); // the set's code compiled, on another set
        var sut = new EventIdSet(10_000, presize: true);

        var (added, allocated) = AddAll(sut, ids);

        allocated.ShouldBe(0, "the table and the ring have their full size from the start");
        added.ShouldBe(ids.Length);
        sut.Count.ShouldBe(10_000);
    }

    /// <summary>
    /// Adds the ids and counts what the thread allocated meanwhile. Nothing else runs while counting: an assertion
    /// library's first call may allocate its own caches (8,072 bytes were once counted here), and this method is compiled
    /// fully optimised at once, so no on-stack replacement of its loop happens while counting.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static (int Added, long Allocated) AddAll(EventIdSet set, string[] ids)
    {
        var added = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var id in ids)
        {
            added += set.Add(id) ? 1 : 0;
        }

        return (added, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using FsCheck.Xunit;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class StableHashTests
{
    [Fact]
    public void Of_FixedInputs_GivesPinnedValues()
    {
        // Pins the hash: sketches persisted or compared across processes depend on it.
        StableHash.Of("").ShouldBe(0x952F14F1E8DDC491UL);
        StableHash.Of("de").ShouldBe(0xD8AE0CB7AF2F0234UL);
        StableHash.Of("SHA256:abc").ShouldBe(0xA7C69D658FDFA95BUL);
        StableHash.Of("account-42").ShouldBe(0x1FCBCC66301FFB89UL);
        SlidingDistinctCounter.Hash("account-42").ShouldBe(0x1FCBCC66301FFB89UL);
    }

    [Fact]
    public void Of_SameTextFromDifferentStrings_IsEqual()
    {
        var text = "203.0.113.7";
        var copy = new string(text.AsSpan());

        StableHash.Of(copy).ShouldBe(StableHash.Of(text));
        StableHash.Of("x203.0.113.7y".AsSpan(1, text.Length)).ShouldBe(StableHash.Of(text));
    }

    [Property(Replay = "20260301,97", MaxTest = 500)]
    public bool Of_DifferentTexts_Differ(string a, string b) =>
        a is null || b is null || a == b || StableHash.Of(a) != StableHash.Of(b);

    [Fact]
    public void Of_NearbyTexts_AvalancheAboutHalfTheBits()
    {
        var flipped = 0;
        const int Pairs = 2_000;
        for (var i = 0; i < Pairs; i++)
        {
            flipped += (int)ulong.PopCount(StableHash.Of($"account-{i}") ^ StableHash.Of($"account-{i + 1}"));
        }

        ((double)flipped / Pairs).ShouldBeInRange(30, 34);
    }

    [Fact]
    public void Mix_SequentialIntegers_AreSpreadOverTheTopBits()
    {
        var buckets = new int[16];
        for (ulong i = 0; i < 16_000; i++)
        {
            buckets[StableHash.Mix(i) >> 60]++;
        }

        buckets.ShouldAllBe(count => count > 850 && count < 1_150);
    }

    [Fact]
    public void Of_Text_AllocatesNothing()
    {
        var text = "SHA256:2f1c9a7e4b";
        ulong sink = 0;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sink ^= StableHash.Of(text);
            }
        });

        allocated.ShouldBe(0);
        sink.ShouldBe(0UL); // an even number of XORs of one hash
    }
}

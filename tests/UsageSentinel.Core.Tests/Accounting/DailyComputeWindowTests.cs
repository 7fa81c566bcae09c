using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Tests.Accounting;

public sealed class DailyComputeWindowTests
{
    private static readonly long Midnight = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static DailyComputeWindow CreateSut() => new(7);

    [Fact]
    public void Sum_AfterMoreComputeTheSameDay_IncludesIt()
    {
        var sut = CreateSut();
        sut.OnAccrued(Midnight, Midnight + TimeSpan.TicksPerHour, 10);
        sut.Sum(Midnight + (2 * TimeSpan.TicksPerHour)).ShouldBe(36_000);

        sut.OnAccrued(Midnight + TimeSpan.TicksPerHour, Midnight + (2 * TimeSpan.TicksPerHour), 10);

        sut.Sum(Midnight + (2 * TimeSpan.TicksPerHour)).ShouldBe(72_000);
    }

    [Fact]
    public void Sum_AskedAgainOnALaterDay_DropsDaysLeavingTheWindow()
    {
        var sut = CreateSut();
        sut.OnAccrued(Midnight, Midnight + TimeSpan.TicksPerHour, 10);
        sut.Sum(Midnight).ShouldBe(36_000);

        sut.Sum(Midnight + (7 * TimeSpan.TicksPerDay)).ShouldBe(0);
        sut.Sum(Midnight + (6 * TimeSpan.TicksPerDay)).ShouldBe(36_000);
    }

    [Fact]
    public void Sum_ManyAccrualsAskedBetween_EqualsAWindowNeverAsked()
    {
        var asked = CreateSut();
        var quiet = CreateSut();
        var from = Midnight;
        for (var i = 0; i < 500; i++)
        {
            var to = from + ((i % 7) + 1) * TimeSpan.TicksPerMinute * 37;
            asked.OnAccrued(from, to, 1e12 + i);
            quiet.OnAccrued(from, to, 1e12 + i);
            asked.Sum(to);
            from = to;
        }

        asked.Sum(from).ShouldBe(quiet.Sum(from));
    }

    [Fact]
    public void Sum_AfterALateCorrectionOfAnEarlierDay_IncludesIt()
    {
        var sut = CreateSut();
        var dayTwo = Midnight + TimeSpan.TicksPerDay;
        sut.OnAccrued(Midnight, Midnight + TimeSpan.TicksPerHour, 10);
        sut.OnAccrued(dayTwo, dayTwo + TimeSpan.TicksPerHour, 10);
        sut.Sum(dayTwo + TimeSpan.TicksPerHour).ShouldBe(72_000);

        sut.OnAccrued(Midnight + TimeSpan.TicksPerHour, Midnight + (2 * TimeSpan.TicksPerHour), 10);

        sut.Sum(dayTwo + TimeSpan.TicksPerHour).ShouldBe(108_000);
    }

    [Fact]
    public void Sum_OfARestoredWindow_EqualsTheOriginalBitForBit()
    {
        var random = new Random(17);
        var original = CreateSut();
        var now = Midnight;
        for (var i = 0; i < 400; i++)
        {
            // Mostly on-time accrual with irregular sizes, sometimes a late correction days back.
            var from = random.Next(5) == 0 ? now - (random.Next(1, 6) * TimeSpan.TicksPerDay) : now;
            var to = from + (random.Next(1, 240) * TimeSpan.TicksPerMinute);
            original.OnAccrued(from, to, 1e12 + (random.NextDouble() * 3e14));
            now = Math.Max(now, to);
            original.Sum(now);
        }

        using var writer = new StateWriter();
        original.WriteState(writer);
        var restored = CreateSut();
        var reader = new StateReader(writer.Written, "daily window");
        restored.ReadState(ref reader);

        for (var day = -2; day <= 8; day++)
        {
            var at = now + (day * TimeSpan.TicksPerDay);
            BitConverter.DoubleToInt64Bits(restored.Sum(at)).ShouldBe(BitConverter.DoubleToInt64Bits(original.Sum(at)), $"day {day}");
        }
    }
}

using UsageSentinel.Core.Accounting;

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
}

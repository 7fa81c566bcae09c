using FsCheck;
using FsCheck.Fluent;
using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Randomness;

namespace UsageSentinel.Simulation.Tests.Engine;

public sealed class LocalClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NextLocal_AnyOffsetAndHour_IsTheNextSuchLocalTimeWithinADay()
    {
        Prop.ForAll<int, int, int>((rawSeconds, rawOffset, rawMinute) =>
        {
            DateTimeOffset from = Start.AddSeconds((uint)rawSeconds % 10_000_000);
            var offset = TimeSpan.FromMinutes(((int)((uint)rawOffset % 53) * 30) - (12 * 60));
            int minuteOfDay = (int)((uint)rawMinute % 1_440);

            DateTimeOffset next = LocalClock.NextLocal(from, offset, minuteOfDay / 60.0);

            return next >= from
                && next < from.AddDays(1)
                && (int)(next + offset).TimeOfDay.TotalMinutes == minuteOfDay
                && next.Offset == TimeSpan.Zero
                && next.Ticks % TimeSpan.TicksPerSecond == 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RandomLocal_WindowAcrossMidnight_StaysInTheLocalWindow()
    {
        SimRandom random = SimRandom.Create(1, 1, 1);
        var day = new DayWindow(0, Start, Start.AddDays(1));
        TimeSpan offset = TimeSpan.FromHours(8);

        for (int i = 0; i < 1_000; i++)
        {
            DateTimeOffset at = LocalClock.RandomLocal(random, day, offset, 22, 26);
            double hour = (at + offset).TimeOfDay.TotalHours;
            (hour >= 22 || hour < 2).ShouldBeTrue();
            at.ShouldBeGreaterThanOrEqualTo(day.Start);
        }
    }

    [Fact]
    public void IsWeekend_SaturdayInTokyoButFridayInNewYork_DependsOnTheOffset()
    {
        // 2026-03-06 is a Friday; at 20:00 UTC it is already Saturday in Tokyo.
        DateTimeOffset time = new(2026, 3, 6, 20, 0, 0, TimeSpan.Zero);

        LocalClock.IsLocalWeekend(time, TimeSpan.FromHours(9)).ShouldBeTrue();
        LocalClock.IsLocalWeekend(time, TimeSpan.FromHours(-5)).ShouldBeFalse();
    }
}

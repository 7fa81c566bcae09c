using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class WeeklyDutyCycleTests
{
    private static readonly long Monday = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static long Hour(long hour) => Monday + (hour * TimeSpan.TicksPerHour);

    [Fact]
    public void DutyCycle_EightHoursADayForAWeek_IsOneThird()
    {
        var sut = new WeeklyDutyCycle();
        for (var day = 0; day < 7; day++)
        {
            sut.MarkActive(Hour((day * 24) + 9), Hour((day * 24) + 17));
        }

        var now = Hour(167) + (30 * TimeSpan.TicksPerMinute);
        sut.DutyCycle(now).ShouldBe(56 / 168.0);
        sut.ActiveHours(now).ShouldBe(56);
        sut.LongestActiveStreakHours(now).ShouldBe(8);
        sut.DutyCycle(now, 24).ShouldBe(8 / 24.0);
    }

    [Fact]
    public void DutyCycle_RunningAllWeek_IsOne()
    {
        var sut = new WeeklyDutyCycle();
        sut.MarkActive(Hour(-500), Hour(300));

        sut.DutyCycle(Hour(299)).ShouldBe(1);
        sut.LongestActiveStreakHours(Hour(299)).ShouldBe(168);
    }

    [Fact]
    public void DutyCycle_IdleSinceTheLastMark_CountsTheIdleHours()
    {
        var sut = new WeeklyDutyCycle();
        sut.MarkActive(Hour(0), Hour(10));

        sut.ActiveHours(Hour(9)).ShouldBe(10);
        sut.ActiveHours(Hour(100)).ShouldBe(10);
        sut.ActiveHours(Hour(100), 95).ShouldBe(4); // hours 6..100
        sut.ActiveHours(Hour(170)).ShouldBe(7); // hours 3..170
        sut.DutyCycle(Hour(177)).ShouldBe(0);
        sut.LongestActiveStreakHours(Hour(177)).ShouldBe(0);
    }

    [Fact]
    public void LongestActiveStreakHours_RunAcrossTheRingBoundary_IsWhole()
    {
        var sut = new WeeklyDutyCycle();
        var start = (Monday / TimeSpan.TicksPerHour) % 168;
        var boundary = 168 - start; // the hour whose ring position is 0
        sut.MarkActive(Hour(boundary - 20), Hour(boundary + 10));
        sut.MarkActive(Hour(boundary + 40));

        sut.LongestActiveStreakHours(Hour(boundary + 40)).ShouldBe(30);
        sut.ActiveHours(Hour(boundary + 40)).ShouldBe(31);
    }

    [Fact]
    public void MarkActive_OlderThanTheRing_IsIgnored()
    {
        var sut = new WeeklyDutyCycle();
        sut.MarkActive(Hour(200));
        sut.MarkActive(Hour(20));
        sut.MarkActive(Hour(40));

        sut.ActiveHours(Hour(200)).ShouldBe(2);
    }

    [Property(Replay = "401,403", MaxTest = 300)]
    public bool Queries_AnyMarks_MatchASetOfHours((ushort Start, byte Length)[] runs, ushort queryOffset, byte span)
    {
        var sut = new WeeklyDutyCycle();
        var model = new HashSet<long>();
        long newest = -1;
        foreach (var (start, length) in runs)
        {
            long from = start % 2_000, to = from + (length % 40);
            sut.MarkActive(Hour(from), Hour(to));
            newest = to > from ? Math.Max(newest, to - 1) : newest;
            for (var h = from; h < to; h++)
            {
                model.Add(h);
            }
        }

        model.RemoveWhere(h => h <= newest - 168);
        var now = Math.Max(newest, 0) + (queryOffset % 200);
        var hours = 1 + (span % 168);
        var expectedActive = model.Count(h => h > now - hours && h <= now);
        var longest = 0;
        var run = 0;
        for (var h = now - 167; h <= now; h++)
        {
            run = model.Contains(h) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return sut.ActiveHours(Hour(now), hours) == expectedActive
            && sut.LongestActiveStreakHours(Hour(now)) == longest;
    }

    [Fact]
    public void MarkActive_HourlyForWeeks_AllocatesNothing()
    {
        var sut = new WeeklyDutyCycle();
        var hour = 0L;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                hour += i % 3;
                sut.MarkActive(Hour(hour));
                sut.DutyCycle(Hour(hour));
            }
        });

        allocated.ShouldBe(0);
    }
}

using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class ActivityHistogramTests
{
    private static readonly long Midnight = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private TimeSpan _offset = TimeSpan.Zero;
    private TimeSpan _halfLife = TimeSpan.FromDays(36_500); // decay negligible unless a test sets it

    private ActivityHistogram CreateSut() => new(_offset, _halfLife);

    private static long At(int day, double hour) => Midnight + (day * TimeSpan.TicksPerDay) + (long)(hour * TimeSpan.TicksPerHour);

    [Property(Replay = "301,303", MaxTest = 300)]
    public bool Share_AnyActivity_SharesSumToOne(ushort[] minutes, sbyte offsetHours, PositiveInt halfLifeHours)
    {
        _offset = TimeSpan.FromHours(offsetHours % 15);
        _halfLife = TimeSpan.FromHours(1 + (halfLifeHours.Get % 500));
        var sut = CreateSut();
        foreach (var minute in minutes)
        {
            sut.Add(Midnight + (minute * 7 * TimeSpan.TicksPerMinute), 1 + (minute % 5));
        }

        var sum = Enumerable.Range(0, 24).Sum(sut.Share);
        return minutes.Length == 0 ? sum == 0 : Math.Abs(sum - 1) < 1e-9;
    }

    [Property(Replay = "305,307", MaxTest = 300)]
    public bool ShareOutside_ComplementaryWindows_SumToOne(ushort[] minutes, byte start, byte end)
    {
        var sut = CreateSut();
        foreach (var minute in minutes)
        {
            sut.Add(Midnight + (minute * 3 * TimeSpan.TicksPerMinute));
        }

        int from = start % 24, to = end % 24;
        var outside = sut.ShareOutside(from, to);
        var inverse = sut.ShareOutside(to, from);
        return minutes.Length == 0 || from == to
            ? outside == (minutes.Length == 0 ? 0 : 1)
            : Math.Abs(outside + inverse - 1) < 1e-9;
    }

    [Fact]
    public void ShareOutside_ActivityInOfficeHoursOfTheOffset_IsZero()
    {
        _offset = TimeSpan.FromHours(9); // Tokyo
        var sut = CreateSut();
        for (var day = 0; day < 5; day++)
        {
            sut.Add(At(day, 1)); // 10:00 local
            sut.Add(At(day, 7.5)); // 16:30 local
        }

        sut.ShareOutside(9, 18).ShouldBe(0);
        sut.Share(10).ShouldBe(0.5, 1e-4);
        sut.Share(16).ShouldBe(0.5, 1e-4);
    }

    [Fact]
    public void ShareOutside_NightActivityAcrossMidnight_IsMeasured()
    {
        _offset = TimeSpan.FromHours(-5);
        var sut = CreateSut();
        sut.Add(At(0, 4), 3); // 23:00 local
        sut.Add(At(0, 8)); // 03:00 local
        sut.Add(At(0, 15)); // 10:00 local

        sut.ShareOutside(9, 17).ShouldBe(0.8, 1e-4);
        sut.ShareOutside(22, 6).ShouldBe(0.2, 1e-4);
        sut.ShareOutside(0, 24).ShouldBe(0);
    }

    [Fact]
    public void Add_OneHalfLifeEarlier_WeighsHalf()
    {
        _halfLife = TimeSpan.FromHours(158);
        var sut = CreateSut();
        sut.Add(At(0, 20));
        sut.Add(At(7, 10)); // 158 hours later

        sut.Share(20).ShouldBe(1 / 3.0, 1e-6);
        sut.Total.ShouldBe(1.5, 1e-6);

        var late = CreateSut();
        late.Add(At(7, 10));
        late.Add(At(0, 20));
        late.Share(20).ShouldBe(sut.Share(20), 1e-6);
    }

    [Fact]
    public void PeakHours_UnevenActivity_BusiestFirstAndOnlyActiveHours()
    {
        var sut = CreateSut();
        sut.Add(At(0, 14), 5);
        sut.Add(At(0, 2), 7);
        sut.Add(At(0, 9), 6);
        Span<int> peaks = stackalloc int[5];

        var written = sut.PeakHours(peaks);

        written.ShouldBe(3);
        peaks[..written].ToArray().ShouldBe([2, 9, 14]);
    }

    [Fact]
    public void Add_ManyEventsOverWeeks_AllocatesNothing()
    {
        var sut = CreateSut();
        var minute = 0L;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                minute += 7;
                sut.Add(Midnight + (minute * TimeSpan.TicksPerMinute));
            }

            sut.ShareOutside(9, 18);
        });

        allocated.ShouldBe(0);
    }
    [Property(Replay = "311,313", MaxTest = 200)]
    public bool CircularPeak_AskedBetweenAdds_EqualsAHistogramNeverAsked(ushort[] minutes, PositiveInt halfLifeHours)
    {
        // The peak is kept until the buckets change: asking after every addition must give exactly what a histogram
        // never asked gives, decay included.
        _halfLife = TimeSpan.FromHours(1 + (halfLifeHours.Get % 200));
        var asked = CreateSut();
        var quiet = CreateSut();
        foreach (var minute in minutes)
        {
            var ticks = Midnight + (minute * 11 * TimeSpan.TicksPerMinute);
            asked.Add(ticks);
            quiet.Add(ticks);
            _ = asked.CircularPeak();
        }

        return asked.CircularPeak() == quiet.CircularPeak();
    }

    [Fact]
    public void CircularPeak_TwoHours_IsTheirCircularMean()
    {
        var sut = CreateSut();
        sut.Add(At(0, 22.5));
        sut.CircularPeak().MeanHour.ShouldBe(22.5, 1e-9);

        sut.Add(At(0, 23.5), 1);

        var (mean, concentration, total) = sut.CircularPeak();
        mean.ShouldBe(23, 1e-6);
        concentration.ShouldBe(Math.Cos(Math.PI / 24), 1e-6);
        total.ShouldBe(2, 1e-6);
    }
}

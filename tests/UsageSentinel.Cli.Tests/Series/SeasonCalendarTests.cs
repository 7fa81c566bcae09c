using UsageSentinel.Cli.Series;

namespace UsageSentinel.Cli.Tests.Series;

public sealed class SeasonCalendarTests
{
    [Theory]
    [InlineData(5, 24, 12)]
    [InlineData(60, 24, 1)]
    [InlineData(120, 12, 1)]
    [InlineData(1_440, 1, 1)]
    [InlineData(10_080, 1, 1)]
    public void ForInterval_SlotsAreHoursForSubHourlySeriesAndTheIntervalUpToADay(int minutes, int slots, int visits)
    {
        var sut = SeasonCalendar.ForInterval(TimeSpan.FromMinutes(minutes));

        sut.SlotsPerDay.ShouldBe(slots);
        sut.SeasonCount.ShouldBe(2 * slots);
        sut.VisitsPerSlotDay.ShouldBe(visits);
        var options = sut.CreateOptions();
        options.SeasonCount.ShouldBe(2 * slots);
        options.SeasonCycleLength.ShouldBe(slots);
        _ = new Core.Baselines.SeasonalBaseline(options); // valid
    }

    [Fact]
    public void SeasonOf_FiveMinuteSeries_IsTheHourPlus24OnWeekends()
    {
        var sut = SeasonCalendar.ForInterval(TimeSpan.FromMinutes(5));

        sut.SeasonOf(new DateTime(2014, 4, 10, 7, 15, 0)).ShouldBe(7); // Thursday
        sut.SeasonOf(new DateTime(2014, 4, 11, 23, 59, 59)).ShouldBe(23); // Friday
        sut.SeasonOf(new DateTime(2014, 4, 12, 0, 0, 0)).ShouldBe(24); // Saturday
        sut.SeasonOf(new DateTime(2014, 4, 13, 13, 5, 0)).ShouldBe(37); // Sunday
        sut.SeasonOf(new DateTime(2014, 4, 14, 0, 0, 0)).ShouldBe(0); // Monday
    }

    [Fact]
    public void CreateOptions_ScalesTheHourlyDefaultsToTheInterval()
    {
        var options = SeasonCalendar.ForInterval(TimeSpan.FromMinutes(5)).CreateOptions();

        options.LevelHalfLife.ShouldBe(24 * 12);
        options.SpreadHalfLife.ShouldBe(168 * 12);
        options.SeasonHalfLife.ShouldBe(4 * 12);
        options.SeasonRunLength.ShouldBe(12);
        options.WarmUpCount.ShouldBe(48 * 12);
    }

    [Fact]
    public void InferInterval_MedianPositiveStep_IgnoresGapsAndDuplicates()
    {
        var t0 = new DateTime(2020, 5, 1);
        DateTime[] leading = [t0, t0.AddMinutes(5), t0.AddMinutes(5), t0.AddMinutes(10), t0.AddHours(3), t0.AddHours(3).AddMinutes(5), t0.AddHours(3).AddMinutes(10)];

        SeasonCalendar.InferInterval(leading).ShouldBe(TimeSpan.FromMinutes(5));
        SeasonCalendar.InferInterval([t0]).ShouldBe(TimeSpan.FromHours(1));
        SeasonCalendar.InferInterval([]).ShouldBe(TimeSpan.FromHours(1));
    }
}

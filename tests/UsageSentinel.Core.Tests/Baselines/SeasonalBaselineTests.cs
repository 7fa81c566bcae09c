using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using UsageSentinel.Core.Baselines;

namespace UsageSentinel.Core.Tests.Baselines;

public sealed class SeasonalBaselineTests
{
    /// <summary>The per-account configuration: hourly observations, hour of day × weekday/weekend.</summary>
    private readonly SeasonalBaselineOptions _options = new();

    /// <summary>Options for properties: short warm-up so that short generated series are scored.</summary>
    private static readonly SeasonalBaselineOptions QuickOptions = new() { WarmUpCount = 4 };

    private static readonly Gen<double> FiniteValues = Gen.Frequency(
        (4, ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite)),
        (3, Gen.Choose(-1_000, 1_000).Select(i => i / 10.0)),
        (2, Gen.Elements(0.0, 1.0, -1.0, double.Epsilon, 1e-300, 1e15, -1e15, 1e300, -1e300, double.MaxValue, -double.MaxValue)));

    private static readonly Gen<(int Season, double Value)[]> FiniteSeries =
        Gen.ArrayOf(from season in Gen.Choose(0, 47) from value in FiniteValues select (season, value));

    /// <summary>Plausible usage series: mostly moderate values with zeros, bursts and shifts.</summary>
    private static readonly Gen<(int Season, double Value)[]> UsageSeries =
        from length in Gen.Choose(0, 300)
        from values in Gen.ArrayOf(Gen.Frequency((6, Gen.Choose(90, 110).Select(i => (double)i)), (1, Gen.Constant(0.0)), (1, Gen.Choose(0, 5_000).Select(i => (double)i))), length)
        select values.Select((v, i) => (HourlySeries.Season(i), v)).ToArray();

    private SeasonalBaseline CreateSut() => new(_options);

    [Property(Replay = "211,213", MaxTest = 300)]
    public Property Observe_AnyFiniteSeries_SpreadIsNeverNegative() =>
        Prop.ForAll(Gen.OneOf(FiniteSeries, UsageSeries).ToArbitrary(), series =>
        {
            var sut = new SeasonalBaseline(QuickOptions);
            foreach (var (season, value) in series)
            {
                var verdict = sut.Observe(season, value);
                if (!(verdict.Spread >= 0) || !(sut.Spread >= 0))
                {
                    return false;
                }
            }

            return true;
        });

    [Property(Replay = "223,227", MaxTest = 300)]
    public Property Observe_AnyFiniteSeries_ScoreIsWithinZeroAndOne() =>
        Prop.ForAll(Gen.OneOf(FiniteSeries, UsageSeries).ToArbitrary(), series =>
        {
            var sut = new SeasonalBaseline(QuickOptions);
            return series.All(o => sut.Observe(o.Season, o.Value).Score is >= 0 and <= 1);
        });

    [Property(Replay = "229,233", MaxTest = 300)]
    public Property Observe_AnyFiniteSeries_NothingIsNaN() =>
        Prop.ForAll(Gen.OneOf(FiniteSeries, UsageSeries).ToArbitrary(), series =>
        {
            var sut = new SeasonalBaseline(QuickOptions);
            foreach (var (season, value) in series)
            {
                var v = sut.Observe(season, value);
                if (double.IsNaN(v.Expected) || double.IsNaN(v.Spread) || double.IsNaN(v.Deviation) || double.IsNaN(v.Score) || double.IsNaN(sut.Level))
                {
                    return false;
                }
            }

            return true;
        });

    [Property(Replay = "239,241", MaxTest = 300)]
    public Property Observe_ConstantSeries_ScoresZeroAndNothingIsNaN() =>
        Prop.ForAll(FiniteValues.ToArbitrary(), Gen.Choose(1, 400).ToArbitrary(), (value, count) =>
        {
            var sut = new SeasonalBaseline(QuickOptions);
            for (var i = 0; i < count; i++)
            {
                var v = sut.Observe(HourlySeries.Season(i), value);
                if (v.Score != 0 || v.Deviation != 0 || !double.IsFinite(v.Spread) || !double.IsFinite(v.Expected))
                {
                    return false;
                }
            }

            return true;
        });

    [Property(Replay = "251,257", MaxTest = 500)]
    public Property Evaluate_SameState_ScoreIsMonotonicInAbsoluteDeviation() =>
        Prop.ForAll(
            Gen.OneOf(FiniteSeries, UsageSeries).ToArbitrary(),
            Gen.Choose(0, 47).ToArbitrary(),
            (from a in FiniteValues from b in Gen.OneOf(FiniteValues, Gen.Choose(-10, 10).Select(d => a + d)) select (a, b)).ToArbitrary(),
            (series, season, pair) =>
            {
                var (a, b) = pair;
                var sut = new SeasonalBaseline(QuickOptions);
                foreach (var (s, value) in series)
                {
                    sut.Observe(s, value);
                }

                var first = sut.Evaluate(season, a);
                var second = sut.Evaluate(season, b);
                var (near, far) = Math.Abs(first.Deviation) <= Math.Abs(second.Deviation) ? (first, second) : (second, first);
                return near.Score <= far.Score && sut.Evaluate(season, a) == first;
            });

    [Fact]
    public void Observe_TenThousandObservationsAfterWarmUp_AllocatesNothing()
    {
        var sut = CreateSut();
        var values = HourlySeries.Diurnal(20_000, day: 80, night: 10, noise: 4, seed: 3);
        for (var i = 0; i < 10_000; i++)
        {
            sut.Observe(HourlySeries.Season(i), values[i]);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 10_000; i < 20_000; i++)
        {
            sut.Observe(HourlySeries.Season(i), values[i]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.ShouldBe(0);
    }

    [Fact]
    public void Constructor_PerAccountConfiguration_TakesAtMost600Bytes()
    {
        _ = CreateSut(); // the options' derived constants are computed once and shared

        // The smallest of a few: the runtime may allocate once on the side the first time round.
        var allocated = long.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sut = CreateSut();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            sut.SeasonCount.ShouldBe(48);
        }

        allocated.ShouldBeLessThanOrEqualTo(600);
    }

    [Fact]
    public void WriteState_ReadBack_WritesTheSameBytesAndJudgesTheSame()
    {
        // Visit counts live in the bytes after the seasons' figures: a season seen 300 times (saturating at 255), some
        // seen a few times, most never; the restored copy must write the same bytes and judge the next hours alike.
        var sut = CreateSut();
        var random = new Random(5);
        for (var hour = 0; hour < 300; hour++)
        {
            sut.Observe(7, 100 + random.Next(20));
            if (hour % 40 == 0)
            {
                sut.Observe(30 + (hour / 40), 50 + random.Next(10));
            }
        }

        var bytes = State(ref sut);
        var read = CreateSut();
        var reader = new UsageSentinel.Core.State.StateReader(bytes, "baseline");
        read.ReadState(ref reader);

        State(ref read).ShouldBe(bytes);
        for (var season = 0; season < 48; season++)
        {
            read.Evaluate(season, 105).Score.ShouldBe(sut.Evaluate(season, 105).Score, $"season {season}");
        }

        read.Observe(7, 400).Score.ShouldBe(sut.Observe(7, 400).Score);
        State(ref read).ShouldBe(State(ref sut));
    }

    private static byte[] State(ref SeasonalBaseline baseline)
    {
        using var writer = new UsageSentinel.Core.State.StateWriter();
        baseline.WriteState(writer);
        return writer.Written.ToArray();
    }

    [Fact]
    public void Prefetch_AnySeasonInRangeOrNot_ChangesNoVerdict()
    {
        var prefetched = CreateSut();
        var plain = CreateSut();
        var values = HourlySeries.Noisy(500, 100, 5, seed: 3);
        int[] outOfRange = [-1, 48, int.MaxValue, int.MinValue];
        for (var i = 0; i < values.Length; i++)
        {
            prefetched.Prefetch(HourlySeries.Season(i));
            prefetched.Prefetch(outOfRange[i % outOfRange.Length]);
            prefetched.Observe(HourlySeries.Season(i), values[i]).ShouldBe(plain.Observe(HourlySeries.Season(i), values[i]));
        }

        prefetched.Level.ShouldBe(plain.Level);
        default(SeasonalBaseline).Prefetch(0); // a baseline never built has no arrays to fetch
    }

    [Fact]
    public void Observe_DuringWarmUp_ScoresZero()
    {
        var sut = CreateSut();
        var values = HourlySeries.Noisy(_options.WarmUpCount, 100, 5, seed: 1);
        values[^1] = 10_000;

        for (var i = 0; i < values.Length; i++)
        {
            var verdict = sut.Observe(HourlySeries.Season(i), values[i]);
            verdict.WarmedUp.ShouldBeFalse();
            verdict.Score.ShouldBe(0);
        }

        sut.IsWarmedUp.ShouldBeTrue();
    }

    [Fact]
    public void Observe_SpikeAfterWarmUp_FlagsAnomalyAndIsNotAbsorbed()
    {
        var sut = CreateSut();
        var values = HourlySeries.Noisy(24 * 21, 100, 5, seed: 2);
        var spike = (24 * 14) + 11;
        values[spike] = 400;

        var scores = values.Select((v, i) => sut.Observe(HourlySeries.Season(i), v).Score).ToArray();

        scores[spike].ShouldBeGreaterThan(0.99);
        scores[..spike].Skip(_options.WarmUpCount).Max().ShouldBeLessThan(0.99);
        scores[(spike + 1)..].Max().ShouldBeLessThan(0.99);
        sut.Level.ShouldBe(100, tolerance: 5);
    }

    [Fact]
    public void Observe_TwoObservationBurst_IsFlaggedButNotTakenAsTheNewLevel()
    {
        var sut = CreateSut();
        var values = HourlySeries.Noisy(24 * 21, 100, 5, seed: 4);
        var burst = (24 * 14) + 15;
        values[burst] = values[burst + 1] = 350;

        var verdicts = values.Select((v, i) => sut.Observe(HourlySeries.Season(i), v)).ToArray();

        verdicts[burst].Score.ShouldBeGreaterThan(0.99);
        verdicts[burst + 1].Score.ShouldBeGreaterThan(0.99);
        verdicts[burst + 2].Expected.ShouldBe(100, tolerance: 10);
        verdicts[(burst + 2)..].Max(v => v.Score).ShouldBeLessThan(0.99);
    }

    [Fact]
    public void Observe_DiurnalPattern_NightsAndDaysAreNotFlagged_DaytimeUsageAtNightIs()
    {
        var sut = CreateSut();
        var values = HourlySeries.Diurnal(24 * 28, day: 80, night: 10, noise: 3, seed: 5);

        var verdicts = values.Select((v, i) => sut.Observe(HourlySeries.Season(i), v)).ToArray();

        // After two weeks the pattern, weekends included, is learnt: no hour of the last two weeks is flagged.
        verdicts[(24 * 14)..].Max(v => v.Score).ShouldBeLessThan(0.99);
        verdicts[(24 * 14)..].Where((_, i) => i % 24 is < 6 or >= 20).Max(v => v.Score).ShouldBeLessThan(0.95);

        // Daytime usage at 3 am on a weekday is.
        var night = sut.Evaluate(HourlySeries.Season((24 * 28) + 3), 80);
        night.Expected.ShouldBe(10, tolerance: 3);
        night.Score.ShouldBeGreaterThan(0.99);
    }

    [Fact]
    public void Observe_PermanentLevelShift_IsFlaggedThenAdaptedWithinFewObservations()
    {
        var sut = CreateSut();
        var values = HourlySeries.Noisy(24 * 35, 100, 5, seed: 6);
        var shift = (24 * 14) + 9;
        for (var i = shift; i < values.Length; i++)
        {
            values[i] += 200;
        }

        var verdicts = values.Select((v, i) => sut.Observe(HourlySeries.Season(i), v)).ToArray();

        verdicts[..shift].Skip(_options.WarmUpCount).Max(v => v.Score).ShouldBeLessThan(0.99);
        verdicts[shift].Score.ShouldBeGreaterThan(0.99);

        // The CUSUM confirms the shift after LevelShiftConfirmations observations; from then on it is the new normal.
        var adapted = shift + _options.LevelShiftConfirmations;
        verdicts[adapted..].Max(v => v.Score).ShouldBeLessThan(0.99);
        verdicts[adapted..].Count(v => v.Score > 0.9).ShouldBeLessThan(verdicts.Length / 50);
        verdicts[adapted].Expected.ShouldBe(300, tolerance: 15);
        sut.Level.ShouldBe(300, tolerance: 10);
    }

    [Fact]
    public void Seed_PeerPrior_JudgesANewSeriesFromItsFirstObservation()
    {
        var typical = CreateSut();
        typical.Seed(level: 10, spread: 2, weight: _options.WarmUpCount);
        var usual = typical.Observe(HourlySeries.Season(0), 11);

        var unusual = CreateSut();
        unusual.Seed(level: 10, spread: 2, weight: _options.WarmUpCount);
        var burst = unusual.Observe(HourlySeries.Season(0), 60);

        var unseeded = CreateSut().Observe(HourlySeries.Season(0), 60);

        usual.WarmedUp.ShouldBeTrue();
        usual.Expected.ShouldBe(10);
        usual.Score.ShouldBeLessThan(0.5);
        burst.WarmedUp.ShouldBeTrue();
        burst.Score.ShouldBeGreaterThan(0.99);
        unseeded.WarmedUp.ShouldBeFalse();
        unseeded.Score.ShouldBe(0);
    }

    [Fact]
    public void Seed_SeriesAtAnotherLevelThanItsPeers_AdaptsToItsOwnLevel()
    {
        var sut = CreateSut();
        sut.Seed(level: 10, spread: 2, weight: _options.WarmUpCount);
        var values = HourlySeries.Noisy(24 * 7, 40, 2, seed: 7);

        var verdicts = values.Select((v, i) => sut.Observe(HourlySeries.Season(i), v)).ToArray();

        // Judged against the peers first; each season then learns the series' own level on its first visit.
        verdicts[0].Score.ShouldBeGreaterThan(0.99);
        verdicts[1..].Max(v => v.Score).ShouldBeLessThan(0.99);
        sut.Evaluate(HourlySeries.Season(values.Length), 40).Expected.ShouldBe(40, tolerance: 3);
    }

    [Fact]
    public void Evaluate_DoesNotLearn()
    {
        var sut = CreateSut();
        var values = HourlySeries.Noisy(100, 100, 5, seed: 8);
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            sut.Observe(HourlySeries.Season(i), value);
        }

        var first = sut.Evaluate(HourlySeries.Season(100), 500);
        sut.Evaluate(HourlySeries.Season(100), 500).ShouldBe(first);
        sut.Observe(HourlySeries.Season(100), 500).ShouldBe(first);
        sut.Count.ShouldBe(101);
    }

    [Fact]
    public void Observe_SeasonOutOfRangeOrValueNotFinite_Throws()
    {
        var sut = CreateSut();

        Should.Throw<ArgumentOutOfRangeException>(() => sut.Observe(48, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => sut.Observe(-1, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => sut.Observe(0, double.NaN));
        Should.Throw<ArgumentOutOfRangeException>(() => sut.Observe(0, double.PositiveInfinity));
        Should.Throw<ArgumentOutOfRangeException>(() => sut.Seed(double.NaN, 1, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => sut.Seed(1, -1, 1));
    }

    [Fact]
    public void Constructor_CycleLengthNotDividingSeasonCount_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new SeasonalBaseline(new SeasonalBaselineOptions { SeasonCount = 48, SeasonCycleLength = 7 }));

    [Fact]
    public void Constructor_OptionsChangedAfterUse_UsesTheNewValues()
    {
        var options = new SeasonalBaselineOptions { WarmUpCount = 10 };
        new SeasonalBaseline(options).Observe(0, 1).WarmedUp.ShouldBeFalse();

        options.WarmUpCount = 0;

        new SeasonalBaseline(options).Observe(0, 1).WarmedUp.ShouldBeTrue();
    }
}

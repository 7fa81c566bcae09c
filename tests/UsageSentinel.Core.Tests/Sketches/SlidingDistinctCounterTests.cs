using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Sketches;
using Xunit.Abstractions;

namespace UsageSentinel.Core.Tests.Sketches;

public sealed class SlidingDistinctCounterTests(ITestOutputHelper output)
{
    private static readonly long Day0 = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private readonly SlidingDistinctCounterOptions _options = new();

    private SlidingDistinctCounter CreateSut() => new(_options);

    private static long Day(int day, int hour = 12) => Day0 + (day * TimeSpan.TicksPerDay) + (hour * TimeSpan.TicksPerHour);

    /// <summary>Distinct values of one trial: consecutive identifiers from a per-trial base (the counter re-mixes them).</summary>
    private static ulong Value(int trial, int i) => ((ulong)trial << 32) + (ulong)i;

    [Fact]
    public void Estimate_NoValues_IsZeroAndAllocatesNothing()
    {
        var sut = CreateSut();

        sut.Estimate(Day(0)).ShouldBe(0);
        sut.StorageBytes.ShouldBe(0);
        sut.IsExact.ShouldBeTrue();
    }

    [Fact]
    public void Estimate_FewValues_IsExact()
    {
        for (var n = 1; n <= 32; n++)
        {
            var sut = CreateSut();
            for (var i = 0; i < n; i++)
            {
                sut.Add($"key-{n}-{i}", Day(0));
            }

            sut.IsExact.ShouldBeTrue();
            sut.Estimate(Day(0)).ShouldBe(n);
        }
    }

    [Fact]
    public void Estimate_RandomSetsUpTo5000_WithinTwentyPercentNinetyFivePercentOfTheTime()
    {
        int[] sizes = [.. Enumerable.Range(1, 40), 50, 64, 80, 100, 128, 160, 200, 256, 320, 400, 500, 640, 800, 1_000, 1_280, 1_600, 2_000, 2_500, 3_200, 4_000, 5_000];
        const int Trials = 60;
        var within = 0;
        var judged = 0;
        var worstSmall = 0.0;
        var worstLarge = 0.0;
        foreach (var n in sizes)
        {
            var errors = new double[Trials];
            for (var trial = 0; trial < Trials; trial++)
            {
                var sut = CreateSut();
                for (var i = 0; i < n; i++)
                {
                    sut.Add(Value((n * 1_000) + trial, i), Day(0));
                }

                var estimate = sut.Estimate(Day(0));
                errors[trial] = (estimate - n) / n;
                if (n <= 10)
                {
                    Math.Abs(estimate - n).ShouldBeLessThanOrEqualTo(1, $"n={n} trial={trial}");
                }

                if (n is > 32 and <= 2_000)
                {
                    judged++;
                    within += Math.Abs(errors[trial]) <= 0.2 ? 1 : 0;
                    worstSmall = Math.Max(worstSmall, Math.Abs(errors[trial]));
                }
                else
                {
                    worstLarge = Math.Max(worstLarge, Math.Abs(errors[trial]));
                }
            }

            Array.Sort(errors);
            var bias = errors.Average();
            var rms = Math.Sqrt(errors.Average(e => e * e));
            output.WriteLine($"n={n,5} bias={bias,7:P1} rms={rms,6:P1} p2.5={errors[1],7:P1} p97.5={errors[^2],7:P1}");
            Math.Abs(bias).ShouldBeLessThan(0.05, $"bias at n={n}");
        }

        var share = (double)within / judged;
        output.WriteLine($"within ±20% for 33 ≤ n ≤ 2000 (sketch mode): {share:P2}; worst {worstSmall:P1}; worst above 2000: {worstLarge:P1}");
        share.ShouldBeGreaterThanOrEqualTo(0.95);
        worstLarge.ShouldBeLessThan(0.4);
    }

    [Property(Replay = "11,23", MaxTest = 60)]
    public bool Add_DuplicateValues_DoNotChangeTheEstimate(PositiveInt size, PositiveInt repeats, int seed)
    {
        var n = size.Get * 37 % 3_000;
        var once = CreateSut();
        var many = CreateSut();
        var random = new Random(seed);
        for (var i = 0; i < n; i++)
        {
            once.Add(Value(seed, i), Day(1));
            var copies = 1 + (repeats.Get % 4);
            for (var c = 0; c < copies; c++)
            {
                many.Add(Value(seed, random.Next(i + 1)), Day(1));
                many.Add(Value(seed, i), Day(1));
            }
        }

        return once.Estimate(Day(1)) == many.Estimate(Day(1));
    }

    [Property(Replay = "33,45", MaxTest = 60)]
    public bool Add_AnyOrderWithinOneDay_GivesTheSameEstimate(PositiveInt size, int seed)
    {
        var n = size.Get * 53 % 3_000;
        var values = Enumerable.Range(0, n).Select(i => Value(seed, i)).ToArray();
        var shuffled = values.ToArray();
        new Random(seed).Shuffle(shuffled);
        var inOrder = CreateSut();
        var outOfOrder = CreateSut();
        foreach (var value in values)
        {
            inOrder.Add(value, Day(3, 1));
        }

        foreach (var value in shuffled)
        {
            outOfOrder.Add(value, Day(3, 23));
        }

        return inOrder.Estimate(Day(3)) == outOfOrder.Estimate(Day(3));
    }

    [Property(Replay = "55,67", MaxTest = 40)]
    public bool Add_ValuesOlderThanTheWindow_StopCounting(PositiveInt oldSize, PositiveInt newSize, int seed)
    {
        var old = oldSize.Get * 97 % 4_000;
        var fresh = newSize.Get * 89 % 3_000;
        var sut = CreateSut();
        var reference = CreateSut();
        for (var i = 0; i < old; i++)
        {
            sut.Add(Value(seed, i), Day(i % 3));
        }

        for (var i = 0; i < fresh; i++)
        {
            sut.Add(Value(seed, old + i), Day(9 + (i % 3)));
            reference.Add(Value(seed, old + i), Day(9 + (i % 3)));
        }

        return sut.Estimate(Day(11)) == reference.Estimate(Day(11))
            && sut.Estimate(Day(11 + 7)) == 0;
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1_000)]
    public void Estimate_BurstOfValues_CountsForSevenDaysThenExpires(int n)
    {
        var sut = CreateSut();
        for (var i = 0; i < n; i++)
        {
            sut.Add(Value(n, i), Day(0, 8));
        }

        sut.Estimate(Day(6, 23)).ShouldBe(sut.Estimate(Day(0, 9)));
        sut.Estimate(Day(0, 9)).ShouldBeInRange(n * 0.8, n * 1.2);
        sut.Estimate(Day(7, 0)).ShouldBe(0);

        sut.Add(Value(n, 0), Day(8));
        sut.Estimate(Day(8)).ShouldBe(1);
        sut.IsExact.ShouldBeTrue();
    }

    [Fact]
    public void Add_LateValueWithinTheWindow_Counts_OlderOneDoesNot()
    {
        var sut = CreateSut();
        sut.Add("a", Day(10));
        sut.Add("b", Day(4));
        sut.Add("c", Day(3));

        sut.Estimate(Day(10)).ShouldBe(2);
        sut.Estimate(Day(11)).ShouldBe(1);
    }

    [Fact]
    public void Estimate_SameValuesEveryDay_StaysAtTheOneDayEstimate()
    {
        var sut = CreateSut();
        var oneDay = CreateSut();
        for (var i = 0; i < 700; i++)
        {
            oneDay.Add(Value(1, i), Day(0));
        }

        for (var day = 0; day < 30; day++)
        {
            for (var i = 0; i < 700; i++)
            {
                sut.Add(Value(1, i), Day(day, i % 24));
            }

            sut.Estimate(Day(day, 23)).ShouldBe(oneDay.Estimate(Day(0)));
        }
    }

    [Theory]
    [InlineData("fresh", 700)]
    [InlineData("fresh", 2_000)]
    [InlineData("churn", 1_000)]
    [InlineData("mixed", 2_000)]
    public void Estimate_SlidingStreams_TracksTheTrueWindowCount(string pattern, int n)
    {
        var errors = new List<double>();
        for (var trial = 0; trial < 12; trial++)
        {
            var random = new Random(trial);
            var sut = CreateSut();
            var lastSeen = new Dictionary<ulong, int>();
            var next = 0;
            var pool = Enumerable.Range(0, n / 2).Select(_ => Value(trial, next++)).ToArray();
            for (var day = 0; day < 30; day++)
            {
                foreach (var value in DayValues(pattern, n, random, pool, trial, ref next))
                {
                    sut.Add(value, Day(day, random.Next(24)));
                    lastSeen[value] = day;
                }

                if (day >= 14)
                {
                    var truth = lastSeen.Values.Count(d => d > day - 7);
                    errors.Add((sut.Estimate(Day(day, 23)) - truth) / truth);
                }
            }
        }

        errors.Sort();
        output.WriteLine($"{pattern} n={n}: bias={errors.Average():P1} p2.5={errors[errors.Count / 40]:P1} p97.5={errors[errors.Count * 39 / 40]:P1}");
        errors.Average().ShouldBeInRange(-0.1, 0.1);
        errors[errors.Count / 40].ShouldBeGreaterThan(-0.3);
        errors[errors.Count * 39 / 40].ShouldBeLessThan(0.3);
    }

    [Fact]
    public void StorageBytes_ManyValues_StaysWithinTheBudget()
    {
        var sut = CreateSut();
        var sizes = new List<int>();
        for (var i = 0; i < 100_000; i++)
        {
            sut.Add(Value(7, i), Day(i / 5_000));
            sizes.Add(sut.StorageBytes);
        }

        sizes.Max().ShouldBe(256);
        sizes.Distinct().ShouldBe([0, 32, 64, 128, 256], "two entries inline, then an array that doubles");
    }

    [Fact]
    public void Add_SteadyStateOverDays_AllocatesNothing()
    {
        var sut = CreateSut();
        var keys = Enumerable.Range(0, 64).Select(i => $"SHA256:key-{i}").ToArray();
        var day = 0;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sut.Add(keys[i % keys.Length], Day(day, i % 24));
                sut.Add(Value(3, i % 4_000), Day(day, i % 24));
                if (i % 1_000 == 999)
                {
                    day++;
                    sut.Estimate(Day(day));
                }
            }
        });

        allocated.ShouldBe(0);
        sut.Estimate(Day(day)).ShouldBeGreaterThan(1_000);
    }

    [Fact]
    public void Add_FewValuesRepeated_AllocatesNothing()
    {
        var sut = CreateSut();
        var day = 0;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sut.Add("GB", Day(day));
                sut.Add(i % 3 == 0 ? "FR" : "DE", Day(day));
                day += i % 500 == 0 ? 1 : 0;
            }
        });

        allocated.ShouldBe(0);
        sut.Estimate(Day(day)).ShouldBe(3);
    }

    [Fact]
    public void Create_WindowNotAWholeNumberOfSlots_Throws()
    {
        _options.Window = TimeSpan.FromHours(36);
        Should.Throw<ArgumentOutOfRangeException>(() => CreateSut());
        _options.Window = TimeSpan.FromDays(17);
        Should.Throw<ArgumentOutOfRangeException>(() => CreateSut());
        _options.Granularity = TimeSpan.FromDays(2);
        _options.Window = TimeSpan.FromDays(30);
        CreateSut().Window.ShouldBe(TimeSpan.FromDays(30));
    }

    private static List<ulong> DayValues(string pattern, int n, Random random, ulong[] pool, int trial, ref int next)
    {
        var values = new List<ulong>();
        switch (pattern)
        {
            case "fresh": // never seen twice: the worst case for expiry
                for (var i = 0; i < n / 7; i++)
                {
                    values.Add(Value(trial, next++));
                }

                break;
            case "churn": // a pool that turns over 20% a day, half of it seen each day
                for (var i = 0; i < pool.Length; i++)
                {
                    pool[i] = random.NextDouble() < 0.2 ? Value(trial, next++) : pool[i];
                    if (random.NextDouble() < 0.5)
                    {
                        values.Add(pool[i]);
                    }
                }

                break;
            default: // a fixed set, each member seen on 30% of days
                for (var i = 0; i < n; i++)
                {
                    if (random.NextDouble() < 0.3)
                    {
                        values.Add(Value(trial, i));
                    }
                }

                break;
        }

        return values;
    }
    [Property(Replay = "321,323", MaxTest = 100)]
    public bool Estimate_AskedBetweenAdds_EqualsACounterNeverAsked(ushort[] values, byte[] days)
    {
        // The estimate is kept until a value arrives: asking after every addition, at several days, must give exactly
        // what a counter asked only at the end gives, in exact and in HyperLogLog mode.
        var asked = CreateSut();
        var quiet = CreateSut();
        for (var i = 0; i < values.Length; i++)
        {
            var day = days.Length == 0 ? 0 : days[i % days.Length] % 12;
            var ticks = Day(day + (i / 40));
            asked.Add((ulong)values[i], ticks);
            quiet.Add((ulong)values[i], ticks);
            _ = asked.Estimate(ticks);
            _ = asked.Estimate(ticks + TimeSpan.TicksPerDay);
        }

        var end = Day(values.Length / 40);
        for (var later = 0; later < 9; later++)
        {
            var at = end + (later * TimeSpan.TicksPerDay);
            if (asked.Estimate(at) != quiet.Estimate(at))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void Add_TwoValues_AllocatesNothing_TheThirdAnArray()
    {
        double TwoValues()
        {
            var counter = CreateSut();
            counter.Add(Value(3, 1), Day(0));
            counter.Add(Value(3, 2), Day(1));
            counter.Add(Value(3, 1), Day(1));
            return counter.Estimate(Day(1));
        }

        var estimate = 0.0;
        Allocations.Measure(() => estimate = TwoValues()).ShouldBe(0);
        estimate.ShouldBe(2);

        var sut = CreateSut();
        sut.Add(Value(3, 1), Day(0));
        sut.Add(Value(3, 2), Day(1));
        sut.StorageBytes.ShouldBe(0);
        sut.Add(Value(3, 3), Day(1));
        sut.Estimate(Day(1)).ShouldBe(3);
        sut.StorageBytes.ShouldBe(32);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20)]
    [InlineData(500)]
    public void WriteState_ReadBack_WritesTheSameBytesAndEstimatesTheSame(int values)
    {
        // Inline (1-2 entries), an array (3+), and the dense sketch; over days, so some entries have expired.
        var sut = CreateSut();
        for (var i = 0; i < values; i++)
        {
            sut.Add(Value(5, i % 400), Day(i * 3 / Math.Max(1, values)));
        }

        var bytes = State(ref sut);
        var read = CreateSut();
        var reader = new UsageSentinel.Core.State.StateReader(bytes, "counter");
        read.ReadState(ref reader);

        State(ref read).ShouldBe(bytes);
        read.StorageBytes.ShouldBe(sut.StorageBytes);
        for (var day = 0; day < 10; day++)
        {
            read.Estimate(Day(day)).ShouldBe(sut.Estimate(Day(day)));
        }

        read.Add(Value(6, 1), Day(3));
        sut.Add(Value(6, 1), Day(3));
        read.Estimate(Day(3)).ShouldBe(sut.Estimate(Day(3)));
    }

    private static byte[] State(ref SlidingDistinctCounter counter)
    {
        using var writer = new UsageSentinel.Core.State.StateWriter();
        counter.WriteState(writer);
        return writer.Written.ToArray();
    }
}

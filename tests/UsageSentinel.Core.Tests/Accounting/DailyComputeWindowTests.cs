using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Tests.Accounting;

public sealed class DailyComputeWindowTests
{
    private static readonly long Midnight = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static DailyComputeWindow CreateSut() => new(7);

    /// <summary>Writes a window's state in the codec's layout: the newest day, then each held day with its peak FLOP.</summary>
    private static byte[] WindowState(long newestDay, params (long Day, double Flop)[] held)
    {
        using var writer = new StateWriter();
        writer.WriteOptionalInt64(newestDay);
        writer.WriteVarUInt64((ulong)held.Length);
        foreach (var (day, flop) in held)
        {
            writer.WriteOptionalInt64(day);
            writer.WriteDouble(flop);
        }

        return writer.Written.ToArray();
    }

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

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(29)]
    public void Sum_WithGapsJumpsAndLateDays_EqualsADayByDayReference(int seed)
    {
        // Whole seconds at whole FLOP/s give sums that are exact in any order, so the ring (days derived from the
        // newest day, passed slots zeroed) can be compared exactly with a plain map of days: quiet gaps, jumps longer
        // than the window, and late corrections, some of them older than the window.
        var random = new Random(seed);
        var sut = CreateSut();
        var reference = new Dictionary<long, double>();
        long newestDay = long.MinValue;
        var now = Midnight;
        for (var i = 0; i < 3_000; i++)
        {
            var step = random.Next(10) switch
            {
                0 => random.Next(1, 20) * TimeSpan.TicksPerDay, // a jump, often past the whole window
                < 3 => random.Next(1, 3) * TimeSpan.TicksPerDay,
                _ => random.Next(0, 300) * TimeSpan.TicksPerMinute,
            };
            now += step;
            var from = random.Next(6) == 0 ? now - (random.Next(1, 10) * TimeSpan.TicksPerDay) : now;
            var to = from + (random.Next(1, 600) * TimeSpan.TicksPerMinute);
            var peak = random.Next(1, 1_000);
            sut.OnAccrued(from, to, peak);
            for (var t = from; t < to;)
            {
                var day = t / TimeSpan.TicksPerDay;
                var until = Math.Min((day + 1) * TimeSpan.TicksPerDay, to);
                if (newestDay == long.MinValue || day > newestDay - 7)
                {
                    reference[day] = reference.GetValueOrDefault(day) + (peak * ((until - t) / TimeSpan.TicksPerSecond));
                    newestDay = Math.Max(newestDay, day);
                }

                t = until;
            }

            now = Math.Max(now, to);
            var today = now / TimeSpan.TicksPerDay;
            var expected = reference.Where(kv => kv.Key > today - 7 && kv.Key <= today).Sum(kv => kv.Value);
            sut.Sum(now).ShouldBe(expected, $"step {i}");
        }
    }

    [Fact]
    public void ReadState_OfAnEarlierWriterWithADayLeftBehind_DropsItAndSumsTheSame()
    {
        // Writers before the ring kept a day in its slot until a later day of the same slot came; such a day is older
        // than any window reaching back from the newest day, so it never counted and is dropped on reading.
        var today = Midnight / TimeSpan.TicksPerDay;

        // today - 16 is left behind: same slot as today - 8, outside every window from today on.
        var written = WindowState(today, (today - 16, 5_000), (today - 1, 7_000));
        var sut = CreateSut();
        var reader = new StateReader(written, "daily window");

        sut.ReadState(ref reader);

        sut.Sum(Midnight).ShouldBe(7_000);
        using var again = new StateWriter();
        sut.WriteState(again);
        again.Written.ToArray().ShouldBe(WindowState(today, (today - 1, 7_000)));
    }

    [Fact]
    public void ReadState_WithAHeldDayAfterTheNewest_IsRejectedAsCorrupt()
    {
        var today = Midnight / TimeSpan.TicksPerDay;
        var written = WindowState(today, (today + 1, 1));
        var sut = CreateSut();

        var error = Should.Throw<InvalidDataException>(() =>
        {
            var reader = new StateReader(written, "daily window");
            sut.ReadState(ref reader);
        });

        error.Message.ShouldContain("after the newest day");
    }
    [Theory]
    [InlineData(5)]
    [InlineData(23)]
    [InlineData(41)]
    public void SumAndState_OfAGrowingRing_EqualAFullRingsBitForBit(int seed)
    {
        // A 90-day window whose ring starts small and grows: sums and the encoding must be those of the full ring of
        // 91 slots (days summed and written by day modulo 91), bit for bit, with fractional FLOP so order matters;
        // bursts of a few days, quiet months, jumps past the window and late corrections.
        const int days = 90;
        var random = new Random(seed);
        var sut = new DailyComputeWindow(days);
        var reference = new Dictionary<long, double>();
        var newestDay = long.MinValue;
        var now = Midnight;
        for (var i = 0; i < 4_000; i++)
        {
            now += random.Next(40) switch
            {
                0 => random.Next(20, 200) * TimeSpan.TicksPerDay,
                < 4 => random.Next(1, 15) * TimeSpan.TicksPerDay,
                _ => random.Next(0, 300) * TimeSpan.TicksPerMinute,
            };
            var from = random.Next(8) == 0 ? now - (random.Next(1, 120) * TimeSpan.TicksPerDay) : now;
            var to = from + (random.Next(1, 600) * TimeSpan.TicksPerMinute);
            var peak = 1e12 + (random.NextDouble() * 3e14);
            sut.OnAccrued(from, to, peak);
            for (var t = from; t < to;)
            {
                var day = t / TimeSpan.TicksPerDay;
                var until = Math.Min((day + 1) * TimeSpan.TicksPerDay, to);
                if (newestDay == long.MinValue || day > newestDay - days)
                {
                    reference[day] = reference.GetValueOrDefault(day) + (peak * ((until - t) / (double)TimeSpan.TicksPerSecond));
                    newestDay = Math.Max(newestDay, day);
                }

                t = until;
            }

            now = Math.Max(now, to);
            var asked = now + (random.Next(-3, 4) * TimeSpan.TicksPerDay);
            Bits(sut.Sum(asked)).ShouldBe(Bits(FullRingSum(reference, newestDay, days, asked / TimeSpan.TicksPerDay)), $"step {i}");
            if (i % 97 == 0)
            {
                var state = State(sut);
                state.ShouldBe(FullRingState(reference, newestDay, days), $"step {i}");
                var restored = new DailyComputeWindow(days);
                var reader = new StateReader(state, "daily window");
                restored.ReadState(ref reader);
                State(restored).ShouldBe(state);
                Bits(restored.Sum(asked)).ShouldBe(Bits(sut.Sum(asked)));
            }
        }
    }

    [Fact]
    public void Slots_GrowOnlyAsFarAsTheDaysWithComputeSpan()
    {
        var sut = new DailyComputeWindow(90);
        for (var day = 0; day < 5; day++)
        {
            sut.OnAccrued(Midnight + (day * TimeSpan.TicksPerDay), Midnight + (day * TimeSpan.TicksPerDay) + TimeSpan.TicksPerHour, 1e14);
        }

        sut.Slots.ShouldBe(DailyComputeWindow.InitialSlots);

        // Twenty quiet days, then compute again: the first days are still in the window, so the ring must reach them.
        var later = Midnight + (25 * TimeSpan.TicksPerDay);
        sut.OnAccrued(later, later + TimeSpan.TicksPerHour, 1e14);
        sut.Slots.ShouldBe(26, "days 0 to 25");
        sut.Sum(later).ShouldBe(6 * 3600 * 1e14);

        // A long quiet spell empties the window: the ring keeps its size but holds nothing old.
        var much = later + (200 * TimeSpan.TicksPerDay);
        sut.OnAccrued(much, much + TimeSpan.TicksPerHour, 1e14);
        sut.Sum(much).ShouldBe(3600 * 1e14);

        for (var day = 1; day <= 100; day++)
        {
            sut.OnAccrued(much + (day * TimeSpan.TicksPerDay), much + (day * TimeSpan.TicksPerDay) + TimeSpan.TicksPerHour, 1e14);
        }

        sut.Slots.ShouldBe(91);
        sut.Sum(much + (100 * TimeSpan.TicksPerDay)).ShouldBe(90 * 3600 * 1e14);
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);

    private static byte[] State(DailyComputeWindow window)
    {
        using var writer = new StateWriter();
        window.WriteState(writer);
        return writer.Written.ToArray();
    }

    /// <summary>The days a full ring of <paramref name="days"/> + 1 slots holds, in its slot order (day modulo the slots).</summary>
    private static IEnumerable<KeyValuePair<long, double>> FullRing(Dictionary<long, double> flops, long newestDay, int days) =>
        flops.Where(kv => kv.Key <= newestDay && kv.Key > newestDay - (days + 1)).OrderBy(kv => ((kv.Key % (days + 1)) + days + 1) % (days + 1));

    private static double FullRingSum(Dictionary<long, double> flops, long newestDay, int days, long today)
    {
        var past = 0.0;
        foreach (var (day, flop) in FullRing(flops, newestDay, days))
        {
            past += day > today - days && day < today ? flop : 0;
        }

        var held = today <= newestDay && today > newestDay - (days + 1) ? flops.GetValueOrDefault(today) : 0;
        return Math.Max(0, past + held);
    }

    private static byte[] FullRingState(Dictionary<long, double> flops, long newestDay, int days) =>
        WindowState(newestDay, [.. FullRing(flops, newestDay, days).Where(kv => kv.Value != 0).Select(kv => (kv.Key, kv.Value))]);
}

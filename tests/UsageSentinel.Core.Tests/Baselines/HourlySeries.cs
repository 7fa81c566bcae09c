namespace UsageSentinel.Core.Tests.Baselines;

/// <summary>Hourly series for the baseline tests, starting on a Monday at midnight: hour of day × weekday/weekend seasons.</summary>
internal static class HourlySeries
{
    /// <summary>The season of hour <paramref name="index"/>: its hour of day, plus 24 on Saturdays and Sundays.</summary>
    public static int Season(int index)
    {
        var day = index / 24 % 7;
        return (day >= 5 ? 24 : 0) + (index % 24);
    }

    /// <summary>A level with Gaussian-ish noise (sum of uniforms), reproducible from <paramref name="seed"/>.</summary>
    public static double[] Noisy(int count, double level, double noise, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = level + (noise * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2);
        }

        return values;
    }

    /// <summary>A working-hours pattern: <paramref name="day"/> from 08:00 to 18:00 on weekdays, <paramref name="night"/> otherwise, with noise.</summary>
    public static double[] Diurnal(int count, double day, double night, double noise, int seed)
    {
        var values = Noisy(count, 0, noise, seed);
        for (var i = 0; i < count; i++)
        {
            var hour = i % 24;
            var weekday = i / 24 % 7 < 5;
            values[i] += weekday && hour is >= 8 and < 18 ? day : night;
        }

        return values;
    }
}

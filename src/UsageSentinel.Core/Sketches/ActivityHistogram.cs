namespace UsageSentinel.Core.Sketches;

/// <summary>
/// When in the day an account is active, by local hour of a fixed UTC offset (e.g. the declared country's): 24
/// decaying weights in 96 bytes inline, for "share of activity outside working hours" and "peak hours".
/// </summary>
/// <remarks>
/// <para>
/// An event at UTC time t adds its weight to bucket ⌊(t + offset) / 1 h⌋ mod 24. All buckets decay with the configured
/// half-life of event time, applied once per elapsed UTC hour (24 multiplications when the hour changes, none
/// otherwise), so old habits fade and the shares describe recent behaviour. A late event counts with the weight it
/// would have decayed to. Shares are ratios of buckets, so they do not depend on when they are read.
/// </para>
/// <para>
/// The offset is fixed per histogram: daylight saving shifts activity by an hour for part of the year, and a changed
/// declared country calls for a new histogram. Floats keep about 7 significant digits; weights are meant to be counts
/// or hours, not money. 152 bytes (the last <see cref="CircularPeak"/> is kept until the buckets change), a mutable
/// struct held inline by its owner (no object header, no pointer hop on the per-event path): keep it in a non-readonly
/// field, create it with the constructor (not <c>default</c>) and never copy it. Not thread-safe; no allocation.
/// </para>
/// </remarks>
public partial struct ActivityHistogram
{
    /// <summary>The number of hour buckets.</summary>
    public const int HoursPerDay = 24;

    private const long NoHour = long.MinValue;

    // cos and sin of each bucket centre's angle, computed once with the very expressions CircularPeak used per call.
    private static readonly double[] CentreCos = CentreTable(Math.Cos);
    private static readonly double[] CentreSin = CentreTable(Math.Sin);

    private readonly long _offsetTicks;
    private readonly double _halfLifeHours;
    private long _lastHour = NoHour;
    private HourBuckets _buckets;

    // CircularPeak of the current buckets, valid until they change: evaluations outnumber events.
    private bool _peakValid;
    private (double MeanHour, double Concentration, double Total) _peak;

    /// <summary>Creates an empty histogram.</summary>
    /// <param name="utcOffset">The local time's offset from UTC, e.g. +09:00 or −05:00; within ±14 h.</param>
    /// <param name="halfLife">How long until an event weighs half; at least an hour.</param>
    public ActivityHistogram(TimeSpan utcOffset, TimeSpan halfLife)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utcOffset.Duration(), TimeSpan.FromHours(14), nameof(utcOffset));
        ArgumentOutOfRangeException.ThrowIfLessThan(halfLife, TimeSpan.FromHours(1), nameof(halfLife));
        _offsetTicks = utcOffset.Ticks;
        _halfLifeHours = halfLife.TotalHours;
    }

    /// <summary>Gets the offset of the local hours from UTC.</summary>
    public TimeSpan UtcOffset => TimeSpan.FromTicks(_offsetTicks);

    /// <summary>Gets the total decayed weight, as of the newest event.</summary>
    public double Total
    {
        get
        {
            double total = 0;
            foreach (var weight in _buckets)
            {
                total += weight;
            }

            return total;
        }
    }

    /// <summary>Records activity at <paramref name="utcTicks"/>.</summary>
    /// <param name="utcTicks">The event time, UTC ticks.</param>
    /// <param name="weight">The amount of activity, e.g. 1 per event or GPU-hours; negative and non-finite are ignored.</param>
    public void Add(long utcTicks, float weight = 1f)
    {
        if (!(weight > 0) || float.IsInfinity(weight))
        {
            return;
        }

        var hour = FloorHours(utcTicks);
        if (_lastHour == NoHour)
        {
            _lastHour = hour;
        }
        else if (hour > _lastHour)
        {
            Decay(Math.Pow(2, -(hour - (double)_lastHour) / _halfLifeHours));
            _lastHour = hour;
        }
        else if (hour < _lastHour)
        {
            weight = (float)(weight * Math.Pow(2, -(_lastHour - (double)hour) / _halfLifeHours));
        }

        _buckets[LocalHour(utcTicks)] += weight;
        _peakValid = false;
    }

    /// <summary>The share of the total weight in local hour <paramref name="hour"/>.</summary>
    /// <param name="hour">The local hour, 0 to 23.</param>
    /// <returns>A share between 0 and 1; 0 when empty.</returns>
    public double Share(int hour)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hour);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(hour, HoursPerDay);
        var total = Total;
        return total > 0 ? _buckets[hour] / total : 0;
    }

    /// <summary>
    /// The share of the total weight outside the local hours <paramref name="startHour"/> (inclusive) to
    /// <paramref name="endHour"/> (exclusive), e.g. (9, 18) for office hours; (22, 6) wraps over midnight.
    /// </summary>
    /// <param name="startHour">The first local hour inside, 0 to 23.</param>
    /// <param name="endHour">The first local hour after, 0 to 24; equal to <paramref name="startHour"/> means no hour is inside.</param>
    /// <returns>A share between 0 and 1; 0 when empty.</returns>
    public double ShareOutside(int startHour, int endHour)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startHour);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(startHour, HoursPerDay);
        ArgumentOutOfRangeException.ThrowIfNegative(endHour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endHour, HoursPerDay);
        double total = 0;
        double outside = 0;
        for (var hour = 0; hour < HoursPerDay; hour++)
        {
            double weight = _buckets[hour];
            total += weight;
            var inside = startHour <= endHour
                ? hour >= startHour && hour < endHour
                : hour >= startHour || hour < endHour;
            outside += inside ? 0 : weight;
        }

        return total > 0 ? Math.Min(outside / total, 1) : 0;
    }

    /// <summary>Writes the busiest local hours, busiest first (ties: earlier hour first); hours without activity are left out.</summary>
    /// <param name="destination">Receives up to its length hours.</param>
    /// <returns>How many hours were written.</returns>
    public int PeakHours(Span<int> destination)
    {
        var written = 0;
        var limit = Math.Min(destination.Length, HoursPerDay);
        while (written < limit)
        {
            var best = -1;
            for (var hour = 0; hour < HoursPerDay; hour++)
            {
                if (_buckets[hour] > 0 && (best < 0 || _buckets[hour] > _buckets[best]) && !destination[..written].Contains(hour))
                {
                    best = hour;
                }
            }

            if (best < 0)
            {
                break;
            }

            destination[written++] = best;
        }

        return written;
    }

    /// <summary>
    /// The circular mean local hour of activity (bucket centres, 0 to 24) and how concentrated activity is around it
    /// (the mean resultant length: 0 flat around the clock, 1 all in one hour).
    /// </summary>
    /// <returns>The mean hour, the concentration and the total weight; zeros when empty.</returns>
    public (double MeanHour, double Concentration, double Total) CircularPeak()
    {
        if (!_peakValid)
        {
            _peak = ComputeCircularPeak();
            _peakValid = true;
        }

        return _peak;
    }

    private (double MeanHour, double Concentration, double Total) ComputeCircularPeak()
    {
        double x = 0, y = 0, total = 0;
        for (var h = 0; h < HoursPerDay; h++)
        {
            double w = _buckets[h];
            x += w * CentreCos[h];
            y += w * CentreSin[h];
            total += w;
        }

        if (total <= 0)
        {
            return (0, 0, 0);
        }

        var mean = Math.Atan2(y, x) * HoursPerDay / (2 * Math.PI);
        return (((mean % HoursPerDay) + HoursPerDay) % HoursPerDay, Math.Sqrt((x * x) + (y * y)) / total, total);
    }

    private static double[] CentreTable(Func<double, double> function)
    {
        var table = new double[HoursPerDay];
        for (var h = 0; h < HoursPerDay; h++)
        {
            var angle = 2 * Math.PI * (h + 0.5) / HoursPerDay;
            table[h] = function(angle);
        }

        return table;
    }

    private static long FloorHours(long ticks) =>
        Math.DivRem(ticks, TimeSpan.TicksPerHour, out var within) - (within < 0 ? 1 : 0);

    private int LocalHour(long utcTicks)
    {
        var local = FloorHours(utcTicks + _offsetTicks) % HoursPerDay;
        return (int)(local < 0 ? local + HoursPerDay : local);
    }

    private void Decay(double factor)
    {
        var f = (float)factor;
        for (var hour = 0; hour < HoursPerDay; hour++)
        {
            _buckets[hour] *= f;
        }

        _peakValid = false;
    }
}

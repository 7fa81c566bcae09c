namespace UsageSentinel.Core.Sketches;

/// <summary>
/// One quantile of a stream in constant memory (96 bytes, inline): the P² algorithm of R. Jain and I. Chlamtac,
/// "The P² algorithm for dynamic calculation of quantiles and histograms without storing observations" (1985).
/// A mutable struct: keep it in a field, never copy it.
/// </summary>
/// <remarks>
/// Five markers hold the minimum, the p/2, p and (1+p)/2 quantiles and the maximum. Each observation shifts the
/// positions of the markers above it; a middle marker that drifts a whole position from where its quantile should be
/// is moved one position, its height adjusted by a piecewise-parabolic fit through its neighbours (linear when the
/// parabola would leave them). The estimate is exact for up to 5 observations and always between the minimum and the
/// maximum seen. Non-finite observations are ignored.
/// </remarks>
internal partial struct P2Estimator
{
    private readonly double _quantile;
    private FiveDoubles _heights;
    private FiveDoubles _positions;
    private long _count;

    public P2Estimator(double quantile)
    {
        if (!(quantile > 0 && quantile < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "The quantile must be strictly between 0 and 1.");
        }

        _quantile = quantile;
    }

    public readonly double Quantile => _quantile;

    public readonly long Count => _count;

    /// <summary>Gets the estimate; <see cref="double.NaN"/> before the first observation.</summary>
    public readonly double Estimate
    {
        get
        {
            if (_count >= 5)
            {
                return _heights[2];
            }

            if (_count == 0)
            {
                return double.NaN;
            }

            // Few observations, kept sorted: interpolate between the two nearest ranks.
            var rank = _quantile * (_count - 1);
            var below = (int)rank;
            var fraction = rank - below;
            return below + 1 < _count
                ? _heights[below] + (fraction * (_heights[below + 1] - _heights[below]))
                : _heights[below];
        }
    }

    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        if (_count < 5)
        {
            Insert(value);
            return;
        }

        int cell;
        if (value < _heights[0])
        {
            _heights[0] = value;
            cell = 0;
        }
        else if (value >= _heights[4])
        {
            _heights[4] = value;
            cell = 3;
        }
        else
        {
            cell = 0;
            while (value >= _heights[cell + 1])
            {
                cell++;
            }
        }

        for (var i = cell + 1; i < 5; i++)
        {
            _positions[i] += 1;
        }

        _count++;
        for (var i = 1; i <= 3; i++)
        {
            var drift = Desired(i) - _positions[i];
            if ((drift >= 1 && _positions[i + 1] - _positions[i] > 1)
                || (drift <= -1 && _positions[i - 1] - _positions[i] < -1))
            {
                var step = drift > 0 ? 1 : -1;
                var height = Parabolic(i, step);
                _heights[i] = _heights[i - 1] < height && height < _heights[i + 1] ? height : Linear(i, step);
                _positions[i] += step;
            }
        }
    }

    private void Insert(double value)
    {
        var i = (int)_count;
        while (i > 0 && _heights[i - 1] > value)
        {
            _heights[i] = _heights[i - 1];
            i--;
        }

        _heights[i] = value;
        _count++;
        if (_count == 5)
        {
            for (var j = 0; j < 5; j++)
            {
                _positions[j] = j + 1;
            }
        }
    }

    private readonly double Desired(int marker)
    {
        var fraction = marker switch
        {
            1 => _quantile / 2,
            2 => _quantile,
            _ => (1 + _quantile) / 2,
        };
        return 1 + ((_count - 1) * fraction);
    }

    private readonly double Parabolic(int i, int step)
    {
        var below = _positions[i] - _positions[i - 1];
        var above = _positions[i + 1] - _positions[i];
        var span = _positions[i + 1] - _positions[i - 1];
        return _heights[i] + (step / span * (
            ((below + step) * (_heights[i + 1] - _heights[i]) / above)
            + ((above - step) * (_heights[i] - _heights[i - 1]) / below)));
    }

    private readonly double Linear(int i, int step) =>
        _heights[i] + (step * (_heights[i + step] - _heights[i]) / (_positions[i + step] - _positions[i]));
}

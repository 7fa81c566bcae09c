namespace UsageSentinel.Core.Baselines;

/// <content>How an observation updates the level, the seasons, the spreads, the tail and the level-shift detector.</content>
public partial struct SeasonalBaseline
{
    /// <summary>
    /// What the baseline knows of a season: its own offset and spread; for a season not seen yet, those of the most seen
    /// season at the same position of another profile (the same hour on weekdays for a weekend hour), or else those of
    /// the previous observation's season; with nothing observed yet, the level itself.
    /// </summary>
    private SeasonPrior ReadSeason(int season)
    {
        var seen = Visits;
        int visits = seen[season];
        if (visits > 0)
        {
            return new SeasonPrior(_seasons[2 * season], _seasons[(2 * season) + 1], visits, visits);
        }

        var cycle = _parameters.SeasonCycleLength;
        var like = -1;
        var likeVisits = 0;
        for (var other = season % cycle; other < seen.Length; other += cycle)
        {
            if (seen[other] > likeVisits)
            {
                like = other;
                likeVisits = seen[other];
            }
        }

        if (like < 0 && _lastSeason >= 0)
        {
            like = _lastSeason;
            likeVisits = seen[like];
        }

        return like < 0
            ? new SeasonPrior(0, _spread, 0, 0)
            : new SeasonPrior(_seasons[2 * like], _seasons[(2 * like) + 1], likeVisits, 0);
    }

    private void Learn(int season, double x, SeasonPrior prior, double expected, double spread)
    {
        if (_count == 0)
        {
            _level = x;
        }

        if (prior.OwnVisits < _parameters.EstablishedVisits)
        {
            LearnNewSeason(season, x, prior);
        }
        else
        {
            LearnEstablished(season, x, prior, expected, spread);
        }

        _lastSeason = (short)season;
        if (_count < int.MaxValue)
        {
            _count++;
        }
    }

    /// <summary>
    /// A season in its first round (fewer than <see cref="BaselineParameters.EstablishedVisits"/> visits of its own): its
    /// residuals are mostly its own offset's error, not news about the level, so only the season learns, as the running
    /// mean of its own observations.
    /// </summary>
    private void LearnNewSeason(int season, double x, SeasonPrior prior)
    {
        var seasonal = x - _level;
        double offset;
        double spread;
        if (prior.OwnVisits == 0)
        {
            offset = seasonal;
            spread = prior.Weight > 0 ? prior.Spread : _spread;
        }
        else
        {
            var gain = 1.0 / (prior.OwnVisits + 1);
            offset = prior.Offset + (gain * (seasonal - prior.Offset));
            spread = prior.Spread + (gain * ((Math.Abs(seasonal - prior.Offset) * SigmaPerMeanAbsolute) - prior.Spread));
        }

        _seasons[2 * season] = (float)offset;
        _seasons[(2 * season) + 1] = (float)spread;
        Visits[season] = (byte)(prior.OwnVisits + 1);
    }

    /// <summary>
    /// A running mean's gain over a season's first round (visits below the run length), then 1 / (visits + run length),
    /// which gives each later round about equal weight: round r's visits have gain ≈ 1 / (r × run length).
    /// </summary>
    private double SeasonFastGain(int visits)
    {
        var run = _parameters.SeasonRunLength;
        return visits < run ? 1.0 / (visits + 1) : 1.0 / (visits + run);
    }

    private void LearnEstablished(int season, double x, SeasonPrior prior, double expected, double spread)
    {
        var p = _parameters;
        var residual = x - expected;
        var clipping = _count >= BaselineParameters.ClipFromCount;
        var clip = p.OutlierClip * spread;
        var clipped = clipping ? Math.Clamp(residual, -clip, clip) : residual;

        // Level: a confirmed shift moves it at once; otherwise a robust EWMA step.
        if (!(clipping && TryShift(residual, spread)))
        {
            _level += Math.Max(p.LevelGain, 1.0 / (_count + 1)) * clipped;
        }

        // Season offset from the updated level, and the season's spread.
        var absolute = Math.Abs(residual) * SigmaPerMeanAbsolute;
        if (clipping)
        {
            absolute = Math.Min(absolute, clip);
        }

        var gain = Math.Max(p.SeasonGain, SeasonFastGain(prior.OwnVisits));
        var seasonal = x - _level - prior.Offset;
        _seasons[2 * season] = (float)(prior.Offset + (gain * (clipping ? Math.Clamp(seasonal, -clip, clip) : seasonal)));
        _seasons[(2 * season) + 1] = (float)(prior.Spread + (gain * (absolute - prior.Spread)));
        Visits[season] = (byte)Math.Min(prior.OwnVisits + 1, byte.MaxValue);

        // Overall spread: a running mean at first, an EWMA once its half-life is reached.
        _spread = (float)(_spread + (Math.Max(p.SpreadGain, 1.0 / Math.Max(_count, 1)) * (absolute - _spread)));
        LearnTail(Math.Abs(residual));
    }

    /// <summary>
    /// Tracks the tail quantile of absolute residuals once residuals are clipped (before, the spread is still forming),
    /// starting from that of a normal residual with the current spread (or the residual, if larger).
    /// </summary>
    private void LearnTail(double absoluteResidual)
    {
        var p = _parameters;
        if (_count < BaselineParameters.ClipFromCount)
        {
            return;
        }

        if (_tail <= 0)
        {
            _tail = (float)Math.Max(p.InitialTailPerSpread * _spread, absoluteResidual);
            return;
        }

        _tail = (float)(_tail * (absoluteResidual > _tail ? p.TailUpFactor : p.TailDownFactor));
    }

    /// <summary>
    /// Feeds the two-sided CUSUM; when it confirms a shift, moves the level by the median of the run's last three
    /// residuals (the latest alone for shorter runs): a step is often ramped in over its first observations, and one
    /// odd observation in the run should not set the new level.
    /// </summary>
    private bool TryShift(double residual, double spread)
    {
        var z = Math.Clamp(residual / spread, -BaselineParameters.ShiftCap, BaselineParameters.ShiftCap);
        _shiftUp = (float)Math.Max(0, _shiftUp + z - BaselineParameters.ShiftDrift);
        _shiftUpRun = _shiftUp > 0 ? (ushort)Math.Min(_shiftUpRun + 1, ushort.MaxValue) : (ushort)0;
        _shiftDown = (float)Math.Max(0, _shiftDown - z - BaselineParameters.ShiftDrift);
        _shiftDownRun = _shiftDown > 0 ? (ushort)Math.Min(_shiftDownRun + 1, ushort.MaxValue) : (ushort)0;

        var run = _shiftUp > _parameters.ShiftThreshold ? _shiftUpRun
            : _shiftDown > _parameters.ShiftThreshold ? _shiftDownRun
            : 0;
        if (run == 0)
        {
            _residualBeforeLast = _lastResidual;
            _lastResidual = (float)residual;
            return false;
        }

        var shift = run >= 3 ? Median(_residualBeforeLast, _lastResidual, residual) : residual;
        _level = Math.Clamp(_level + shift, -MaxMagnitude, MaxMagnitude);
        ResetShift();
        return true;
    }

    private static double Median(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    private void ResetShift()
    {
        _shiftUp = 0;
        _shiftDown = 0;
        _shiftUpRun = 0;
        _shiftDownRun = 0;
        _lastResidual = 0;
        _residualBeforeLast = 0;
    }

    /// <summary>
    /// What a season contributes to an expectation: an offset from the level and a spread, how much they are worth (the
    /// visits of the season they come from), and how often the season itself was seen.
    /// </summary>
    private readonly record struct SeasonPrior(double Offset, double Spread, double Weight, int OwnVisits);
}

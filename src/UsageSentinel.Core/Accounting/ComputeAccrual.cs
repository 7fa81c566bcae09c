namespace UsageSentinel.Core.Accounting;

/// <summary>
/// GPU time accrued by a set of running instances up to a point in event time. Launches and terminations before
/// that point (late events) are corrected retroactively, so the totals do not depend on arrival order.
/// Owned by one detection loop.
/// </summary>
/// <remarks>
/// A mutable struct that its owner (<see cref="AccountState"/>, <see cref="ComputeRun"/>) holds inline and hands out by
/// reference (<c>ref</c> property): every event and sweep visit reads it, and inline it costs no pointer hop (a cache
/// miss on a cold account) and no object header. Never copy it: take it by <c>ref</c> or <c>in</c>.
/// </remarks>
internal partial struct ComputeAccrual
{
    private double[] _gpuSecondsByModel = [];
    private int[] _runningGpusByModel = [];

    /// <summary>Initializes a new instance of the <see cref="ComputeAccrual"/> struct, with nothing accrued.</summary>
    public ComputeAccrual()
    {
    }

    /// <summary>Gets the event time (UTC ticks) up to which GPU time has been accrued.</summary>
    public long AccruedUntilTicks { get; private set; } = long.MinValue;

    /// <summary>Gets the GPUs running now.</summary>
    public int RunningGpus { get; private set; }

    /// <summary>Gets the most GPUs that ran at once.</summary>
    public int PeakGpus { get; private set; }

    /// <summary>Gets the dense BF16 peak of the running GPUs, FLOP/s.</summary>
    public double RunningPeakFlops { get; private set; }

    /// <summary>Gets the accrued GPU-seconds × dense peak FLOP/s, i.e. FLOP at 100 % utilisation.</summary>
    public double PeakFlop { get; private set; }

    /// <summary>Gets the accrued GPU-seconds of all models.</summary>
    public double GpuSeconds { get; private set; }

    /// <summary>Gets the accrued GPU-seconds per model index.</summary>
    public readonly ReadOnlySpan<double> GpuSecondsByModel => _gpuSecondsByModel;

    /// <summary>Prefetches the per-model arrays (see <see cref="Engine.CachePrefetch"/>).</summary>
    internal readonly void Prefetch()
    {
        Engine.CachePrefetch.Object(_gpuSecondsByModel);
        Engine.CachePrefetch.Object(_runningGpusByModel);
    }

    /// <summary>Accrues the running set up to <paramref name="ticks"/>; earlier times are ignored.</summary>
    /// <param name="ticks">UTC ticks.</param>
    /// <param name="sink">Receives the accrued peak FLOP per interval, e.g. into daily buckets; may be null.</param>
    public void AccrueTo(long ticks, IAccrualSink? sink)
    {
        if (AccruedUntilTicks == long.MinValue)
        {
            AccruedUntilTicks = ticks;
            return;
        }

        if (ticks <= AccruedUntilTicks)
        {
            return;
        }

        if (RunningGpus > 0)
        {
            Add(AccruedUntilTicks, ticks, 1, RunningPeakFlops, _runningGpusByModel, sink);
        }

        AccruedUntilTicks = ticks;
    }

    /// <summary>Starts accruing <paramref name="gpus"/> GPUs of one model from <paramref name="fromTicks"/>.</summary>
    /// <param name="modelIndex">Index of the GPU model in the engine's model table.</param>
    /// <param name="gpus">GPU count.</param>
    /// <param name="peakFlopsPerGpu">Dense BF16 peak per GPU, FLOP/s.</param>
    /// <param name="fromTicks">Launch time.</param>
    /// <param name="sink">Receives retroactive accruals; may be null.</param>
    public void Start(int modelIndex, int gpus, double peakFlopsPerGpu, long fromTicks, IAccrualSink? sink)
    {
        EnsureModel(modelIndex);
        if (AccruedUntilTicks == long.MinValue)
        {
            AccruedUntilTicks = fromTicks;
        }
        else if (fromTicks < AccruedUntilTicks)
        {
            AddOne(modelIndex, gpus, peakFlopsPerGpu, fromTicks, AccruedUntilTicks, 1, sink);
        }

        _runningGpusByModel[modelIndex] += gpus;
        RunningGpus += gpus;
        RunningPeakFlops += gpus * peakFlopsPerGpu;
        PeakGpus = Math.Max(PeakGpus, RunningGpus);
    }

    /// <summary>Stops accruing GPUs started with <see cref="Start"/>, at <paramref name="atTicks"/>.</summary>
    /// <param name="modelIndex">Index of the GPU model.</param>
    /// <param name="gpus">GPU count.</param>
    /// <param name="peakFlopsPerGpu">Dense BF16 peak per GPU, FLOP/s.</param>
    /// <param name="atTicks">Termination time.</param>
    /// <param name="sink">Receives retroactive corrections; may be null.</param>
    public void Stop(int modelIndex, int gpus, double peakFlopsPerGpu, long atTicks, IAccrualSink? sink)
    {
        if (atTicks < AccruedUntilTicks)
        {
            AddOne(modelIndex, gpus, peakFlopsPerGpu, atTicks, AccruedUntilTicks, -1, sink);
        }

        _runningGpusByModel[modelIndex] -= gpus;
        RunningGpus -= gpus;
        RunningPeakFlops = RunningGpus == 0 ? 0 : Math.Max(0, RunningPeakFlops - (gpus * peakFlopsPerGpu));
    }

    /// <summary>Accounts a closed interval at once (a launch whose termination is already known).</summary>
    /// <param name="modelIndex">Index of the GPU model.</param>
    /// <param name="gpus">GPU count.</param>
    /// <param name="peakFlopsPerGpu">Dense BF16 peak per GPU, FLOP/s.</param>
    /// <param name="fromTicks">Launch time.</param>
    /// <param name="toTicks">Termination time.</param>
    /// <param name="sink">Receives the accrual; may be null.</param>
    public void AddClosed(int modelIndex, int gpus, double peakFlopsPerGpu, long fromTicks, long toTicks, IAccrualSink? sink)
    {
        EnsureModel(modelIndex);
        if (toTicks > fromTicks)
        {
            AddOne(modelIndex, gpus, peakFlopsPerGpu, fromTicks, toTicks, 1, sink);
        }

        PeakGpus = Math.Max(PeakGpus, RunningGpus + gpus);
    }

    private void AddOne(int modelIndex, int gpus, double peakFlopsPerGpu, long fromTicks, long toTicks, int sign, IAccrualSink? sink)
    {
        var seconds = (toTicks - fromTicks) / (double)TimeSpan.TicksPerSecond;
        _gpuSecondsByModel[modelIndex] += sign * gpus * seconds;
        GpuSeconds += sign * gpus * seconds;
        PeakFlop += sign * gpus * peakFlopsPerGpu * seconds;
        sink?.OnAccrued(fromTicks, toTicks, sign * gpus * peakFlopsPerGpu);
    }

    private void Add(long fromTicks, long toTicks, int sign, double peakFlops, int[] gpusByModel, IAccrualSink? sink)
    {
        var seconds = (toTicks - fromTicks) / (double)TimeSpan.TicksPerSecond;
        for (var m = 0; m < gpusByModel.Length; m++)
        {
            if (gpusByModel[m] != 0)
            {
                _gpuSecondsByModel[m] += sign * gpusByModel[m] * seconds;
            }
        }

        GpuSeconds += sign * RunningGpus * seconds;
        PeakFlop += sign * peakFlops * seconds;
        sink?.OnAccrued(fromTicks, toTicks, sign * peakFlops);
    }

    private void EnsureModel(int modelIndex)
    {
        if (modelIndex >= _runningGpusByModel.Length)
        {
            var size = Math.Max(modelIndex + 1, 4);
            Array.Resize(ref _runningGpusByModel, size);
            Array.Resize(ref _gpuSecondsByModel, size);
        }
    }
}

using System.Diagnostics;
using UsageSentinel.Core.Ports;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// Trains the population model on a background thread of lower CPU priority (<see cref="LowPriorityThread"/>) from the
/// latest snapshot of every detection loop, and publishes
/// each model to <see cref="Models"/>; the loops keep scoring with the model they have and switch at their next
/// evaluation (a hot swap: no lock on the hot path, no pause). At most one training runs at a time; snapshots that
/// arrive meanwhile are merged into one more training afterwards. Trainings take at most a share of one core
/// (<c>maxShare</c>): after one that took <c>d</c>, the next starts no sooner than <c>d × (1 / maxShare − 1)</c> later.
/// Live, snapshots come once a day of event time and the limit never bites; catching up on a backlog, event time runs
/// days per second and back-to-back trainings would take the CPU the catch-up needs.
/// </summary>
public sealed class BackgroundPopulationTraining : IPopulationTraining, IAsyncDisposable
{
    private readonly IPopulationModelTrainer _trainer;
    private readonly IReadOnlyList<float[]>?[] _latest;
    private readonly DateTimeOffset[] _latestTimes;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private bool _pending;
    private readonly int _minimumRows;
    private readonly double _restPerTraining;

    /// <summary>Initializes a new instance of the <see cref="BackgroundPopulationTraining"/> class.</summary>
    /// <param name="trainer">Trains the models; called on a lower-priority background thread.</param>
    /// <param name="loops">The number of detection loops that submit snapshots.</param>
    /// <param name="minimumRows">The fewest accounts, over all snapshots, worth a model.</param>
    /// <param name="maxShare">The largest share of one core that back-to-back trainings take, in (0, 1].</param>
    public BackgroundPopulationTraining(IPopulationModelTrainer trainer, int loops, int minimumRows = 2, double maxShare = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxShare, 1);
        _restPerTraining = (1 / maxShare) - 1;
        _minimumRows = Math.Max(2, minimumRows);
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(loops);
        _trainer = trainer;
        _latest = new IReadOnlyList<float[]>?[loops];
        _latestTimes = new DateTimeOffset[loops];
    }

    /// <summary>Raised on the training thread after each training, successful or not.</summary>
    public event Action<PopulationTrainingResult>? Trained;

    /// <inheritdoc />
    public PopulationModelHolder Models { get; } = new();

    /// <summary>Gets the training in progress, or a completed task; for shutdown and tests.</summary>
    public Task Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <inheritdoc />
    public void Submit(int loopIndex, DateTimeOffset eventTime, IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegative(loopIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(loopIndex, _latest.Length);
        lock (_gate)
        {
            _latest[loopIndex] = features;
            _latestTimes[loopIndex] = eventTime;
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_running.IsCompleted)
            {
                _running = Task.Run(TrainWhilePending);
            }
            else
            {
                _pending = true;
            }
        }
    }

    /// <summary>Stops: a training in progress is cancelled and awaited.</summary>
    /// <returns>A task that completes when no training runs.</returns>
    public async ValueTask DisposeAsync()
    {
        Task running;
        lock (_gate)
        {
            _stopping.Cancel();
            running = _running;
        }

        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _stopping.Dispose();
    }

    private async Task TrainWhilePending()
    {
        while (true)
        {
            List<float[]> population;
            DateTimeOffset eventTime;
            lock (_gate)
            {
                _pending = false;
                population = [];
                eventTime = DateTimeOffset.MinValue;
                for (var i = 0; i < _latest.Length; i++)
                {
                    if (_latest[i] is { } rows)
                    {
                        population.AddRange(rows);
                        eventTime = _latestTimes[i] > eventTime ? _latestTimes[i] : eventTime;
                    }
                }
            }

            var took = await LowPriorityThread.Run(() => Train(population, eventTime), "population-training").ConfigureAwait(false);
            lock (_gate)
            {
                if (!_pending || _stopping.IsCancellationRequested)
                {
                    return;
                }
            }

            try
            {
                // Snapshots arriving meanwhile are merged into the next training.
                await Task.Delay(took * _restPerTraining, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Trains once and reports it; returns how long it took.</summary>
    private TimeSpan Train(List<float[]> population, DateTimeOffset eventTime)
    {
        var started = Stopwatch.GetTimestamp();
        PopulationTrainingResult result;
        try
        {
            if (population.Count < _minimumRows)
            {
                return TimeSpan.Zero;
            }

            var model = _trainer.Train(population, population[0].Length, _stopping.Token);
            var version = Models.Publish(model);
            result = new PopulationTrainingResult(version, population.Count, eventTime, Stopwatch.GetElapsedTime(started), null);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return Stopwatch.GetElapsedTime(started);
        }
#pragma warning disable CA1031 // isolation boundary: a failed training keeps the previous model and is reported
        catch (Exception ex)
#pragma warning restore CA1031
        {
            result = new PopulationTrainingResult(0, population.Count, eventTime, Stopwatch.GetElapsedTime(started), ex);
        }

        Trained?.Invoke(result);
        return Stopwatch.GetElapsedTime(started);
    }
}

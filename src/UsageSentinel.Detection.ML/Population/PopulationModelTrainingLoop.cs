using UsageSentinel.Core.Ports;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// One round of background training: take a snapshot, train on the thread pool, publish the model to the holder.
/// Detection loops keep scoring with the previous model meanwhile and switch at their next
/// <see cref="PopulationModelHolder.TryGetNewer"/>. The host calls <see cref="RunOnceAsync"/> on its schedule.
/// </summary>
public sealed class PopulationModelTrainingLoop
{
    private readonly IPopulationModelTrainer _trainer;
    private readonly PopulationModelHolder _holder;
    private readonly int _featureCount;
    private readonly int _minimumPopulation;

    /// <summary>Initializes a new instance of the <see cref="PopulationModelTrainingLoop"/> class.</summary>
    /// <param name="trainer">Trains the models.</param>
    /// <param name="holder">Receives each new model.</param>
    /// <param name="featureCount">The length of every feature vector.</param>
    /// <param name="minimumPopulation">Fewer accounts than this skip the round: too few peers to say what is usual.</param>
    public PopulationModelTrainingLoop(
        IPopulationModelTrainer trainer, PopulationModelHolder holder, int featureCount, int minimumPopulation = 100)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumPopulation, 2);
        _trainer = trainer;
        _holder = holder;
        _featureCount = featureCount;
        _minimumPopulation = minimumPopulation;
    }

    /// <summary>Takes a snapshot, trains a model on the thread pool and publishes it.</summary>
    /// <param name="snapshot">Returns one feature vector per account; called on the thread pool.</param>
    /// <param name="cancellationToken">Stops the round; the current model stays.</param>
    /// <returns>The published model, or <see langword="null"/> when the snapshot had too few accounts.</returns>
    /// <remarks>A failed training throws and leaves the current model in place; the caller logs and tries again later.</remarks>
    public Task<IPopulationModel?> RunOnceAsync(Func<IReadOnlyList<float[]>> snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Task.Run(() => TrainAndPublish(snapshot, cancellationToken), cancellationToken);
    }

    private IPopulationModel? TrainAndPublish(Func<IReadOnlyList<float[]>> snapshot, CancellationToken cancellationToken)
    {
        var population = snapshot();
        if (population.Count < _minimumPopulation)
        {
            return null;
        }

        var model = _trainer.Train(population, _featureCount, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        _holder.Publish(model);
        return model;
    }
}

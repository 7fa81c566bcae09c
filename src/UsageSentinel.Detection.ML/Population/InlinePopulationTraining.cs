using UsageSentinel.Core.Ports;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// Trains on the calling loop's thread as soon as a snapshot arrives, so the model changes at a fixed event time:
/// deterministic, for <c>replay</c>, <c>evaluate</c> and tests with one loop. The worker uses
/// <see cref="BackgroundPopulationTraining"/>.
/// </summary>
public sealed class InlinePopulationTraining : IPopulationTraining
{
    private readonly IPopulationModelTrainer _trainer;

    /// <summary>Initializes a new instance of the <see cref="InlinePopulationTraining"/> class.</summary>
    /// <param name="trainer">Trains the models.</param>
    public InlinePopulationTraining(IPopulationModelTrainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        _trainer = trainer;
    }

    /// <inheritdoc />
    public PopulationModelHolder Models { get; } = new();

    /// <inheritdoc />
    public void Submit(int loopIndex, DateTimeOffset eventTime, IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count >= 2)
        {
            Models.Publish(_trainer.Train(features, features[0].Length, CancellationToken.None));
        }
    }
}

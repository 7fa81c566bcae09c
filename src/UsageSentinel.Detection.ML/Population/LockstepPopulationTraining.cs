using UsageSentinel.Core.Ports;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// Trains on the union of several lockstep loops' snapshots (see <see cref="Core.Engine.ILockstep"/>): each loop
/// submits its own accounts' rows, and once all have (<see cref="TrainSubmitted"/>, called while every loop waits) one
/// model is trained on the rows in loop order and published to all. Deterministic, like
/// <see cref="InlinePopulationTraining"/>, for a replay on several loops.
/// </summary>
public sealed class LockstepPopulationTraining : IPopulationTraining
{
    private readonly IPopulationModelTrainer _trainer;
    private readonly IReadOnlyList<float[]>?[] _submitted;
    private readonly int _minimumRows;

    /// <summary>Initializes a new instance of the <see cref="LockstepPopulationTraining"/> class.</summary>
    /// <param name="trainer">Trains the models.</param>
    /// <param name="loops">How many loops submit.</param>
    /// <param name="minimumRows">The fewest rows, of all loops together, worth a model.</param>
    public LockstepPopulationTraining(IPopulationModelTrainer trainer, int loops, int minimumRows)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(loops);
        _trainer = trainer;
        _submitted = new IReadOnlyList<float[]>?[loops];
        _minimumRows = Math.Max(2, minimumRows);
    }

    /// <inheritdoc />
    public PopulationModelHolder Models { get; } = new();

    /// <inheritdoc />
    /// <remarks>The minimum applies to all loops' rows together: one loop's share of the accounts may be small.</remarks>
    public bool AppliesMinimum => true;

    /// <inheritdoc />
    public void Submit(int loopIndex, DateTimeOffset eventTime, IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegative(loopIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(loopIndex, _submitted.Length);

        // Each loop writes its own slot; the lockstep's meeting orders these writes before TrainSubmitted reads them.
        _submitted[loopIndex] = features;
    }

    /// <summary>
    /// Trains one model on the rows submitted since the last call, in loop order, and publishes it when they are enough;
    /// called while no loop runs.
    /// </summary>
    /// <returns>Whether a model was published.</returns>
    public bool TrainSubmitted()
    {
        var rows = new List<float[]>();
        for (var i = 0; i < _submitted.Length; i++)
        {
            if (_submitted[i] is { } submitted)
            {
                rows.AddRange(submitted);
                _submitted[i] = null;
            }
        }

        if (rows.Count < _minimumRows)
        {
            return false;
        }

        Models.Publish(_trainer.Train(rows, rows[0].Length, CancellationToken.None));
        return true;
    }
}

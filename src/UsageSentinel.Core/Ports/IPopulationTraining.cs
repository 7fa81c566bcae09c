namespace UsageSentinel.Core.Ports;

/// <summary>
/// Trains the population model from the detection loops' snapshots and publishes it to <see cref="Models"/>. A loop
/// hands over its snapshot at every retraining boundary of event time and keeps scoring with the model it has; the
/// new model takes over at the loop's next check of <see cref="Models"/> (a hot swap, no pause).
/// </summary>
public interface IPopulationTraining
{
    /// <summary>Gets the holder of the current model, shared by all loops.</summary>
    PopulationModelHolder Models { get; }

    /// <summary>
    /// Gets whether the training applies the minimum population itself, to the union of all snapshots (a loop then
    /// submits any non-empty snapshot: its partition alone may be small); otherwise each loop's snapshot must reach it.
    /// </summary>
    bool AppliesMinimum => false;

    /// <summary>Receives one loop's snapshot; called on that loop's thread, so it must return quickly.</summary>
    /// <param name="loopIndex">The loop's index, 0-based.</param>
    /// <param name="eventTime">The event time the snapshot reflects.</param>
    /// <param name="features">One feature vector per account; the callee owns the list from now on.</param>
    void Submit(int loopIndex, DateTimeOffset eventTime, IReadOnlyList<float[]> features);
}

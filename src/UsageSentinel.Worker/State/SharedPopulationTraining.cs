using UsageSentinel.Core.Ports;

namespace UsageSentinel.Worker.State;

/// <summary>
/// Population training across workers: each snapshot a local engine submits is trained on here and handed to
/// <see cref="Publish"/> (the worker writes it to the population topic); snapshots of other workers' partitions are
/// assembled from their chunks and trained on too, so every worker's model sees the whole population. A partition's
/// slot keeps its newest snapshot.
/// </summary>
internal sealed class SharedPopulationTraining(IPopulationTraining inner, Action<int, DateTimeOffset, IReadOnlyList<float[]>> publish) : IPopulationTraining
{
    private readonly Dictionary<int, Assembly> _assembling = [];
    private readonly Dictionary<int, long> _newest = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public PopulationModelHolder Models => inner.Models;

    /// <inheritdoc />
    public bool AppliesMinimum => true;

    /// <inheritdoc />
    public void Submit(int loopIndex, DateTimeOffset eventTime, IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        lock (_gate)
        {
            _newest[loopIndex] = eventTime.UtcTicks;
        }

        publish(loopIndex, eventTime, features);
        inner.Submit(loopIndex, eventTime, features);
    }

    /// <summary>Takes a chunk of another worker's snapshot; submits the snapshot once complete and newer than the slot's.</summary>
    /// <param name="chunk">The chunk.</param>
    public void Apply(PopulationChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        List<float[]> complete;
        lock (_gate)
        {
            if (_newest.TryGetValue(chunk.Partition, out var newest) && chunk.EventTimeTicks < newest)
            {
                return;
            }

            if (!_assembling.TryGetValue(chunk.Partition, out var assembly) || assembly.EventTimeTicks != chunk.EventTimeTicks || assembly.Count != chunk.Count)
            {
                assembly = new Assembly(chunk.EventTimeTicks, chunk.Count);
                _assembling[chunk.Partition] = assembly;
            }

            assembly.Chunks[chunk.Index] = chunk.Features;
            if (assembly.Chunks.Any(c => c is null))
            {
                return;
            }

            _assembling.Remove(chunk.Partition);
            _newest[chunk.Partition] = chunk.EventTimeTicks;
            complete = [.. assembly.Chunks.SelectMany(c => c!)];
        }

        inner.Submit(chunk.Partition, new DateTimeOffset(chunk.EventTimeTicks, TimeSpan.Zero), complete);
    }

    private sealed class Assembly(long eventTimeTicks, int count)
    {
        public long EventTimeTicks { get; } = eventTimeTicks;

        public int Count { get; } = count;

        public IReadOnlyList<float[]>?[] Chunks { get; } = new IReadOnlyList<float[]>?[count];
    }
}

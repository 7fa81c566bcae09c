using Confluent.Kafka;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>
/// Per partition, the offsets consumed but not yet done. An offset may be stored only when it and every offset
/// before it are done, so the committed position never passes an event whose outputs are not produced.
/// Owned by the consume loop.
/// </summary>
internal sealed class OffsetTracker
{
    private readonly Dictionary<TopicPartition, PartitionOffsets> _partitions = [];

    public int InFlight { get; private set; }

    public void Assign(TopicPartition partition)
    {
        if (!_partitions.ContainsKey(partition))
        {
            _partitions.Add(partition, new PartitionOffsets());
        }
    }

    public void Revoke(TopicPartition partition)
    {
        if (_partitions.Remove(partition, out var offsets))
        {
            InFlight -= offsets.InFlight.Count;
        }
    }

    public void Track(TopicPartition partition, long offset)
    {
        if (!_partitions.TryGetValue(partition, out var offsets))
        {
            offsets = new PartitionOffsets();
            _partitions.Add(partition, offsets);
        }

        offsets.InFlight.Enqueue(offset);
        InFlight++;
    }

    /// <summary>Marks an offset done; returns the next offset to store when the done prefix grew.</summary>
    /// <param name="partition">The partition.</param>
    /// <param name="offset">The offset done.</param>
    /// <param name="storable">The offset to store (one past the last done in order).</param>
    /// <returns>Whether there is a new offset to store.</returns>
    public bool Complete(TopicPartition partition, long offset, out long storable)
    {
        storable = -1;
        if (!_partitions.TryGetValue(partition, out var offsets))
        {
            return false; // revoked meanwhile: the new owner consumes it again.
        }

        offsets.Done.Add(offset);
        var advanced = false;
        while (offsets.InFlight.TryPeek(out var head) && offsets.Done.Remove(head))
        {
            offsets.InFlight.Dequeue();
            InFlight--;
            storable = head + 1;
            advanced = true;
        }

        return advanced;
    }

    private sealed class PartitionOffsets
    {
        public Queue<long> InFlight { get; } = new();

        public HashSet<long> Done { get; } = [];
    }
}

using Confluent.Kafka;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>
/// The engine of one partition number: the accounts of partition <i>p</i> of every input topic. Its input streams are
/// those partitions, identified by a hash of topic and partition that is the same in every process.
/// </summary>
internal sealed class PartitionEngine(int partition, DetectionEngine<InputPosition> engine)
{
    private TopicPartition? _lastPartition;
    private long _lastStream;

    public int Partition { get; } = partition;

    public DetectionEngine<InputPosition> Engine { get; } = engine;

    /// <summary>FNV-1a (64 bits) of the topic name and the partition number.</summary>
    public static long StreamOf(string topic, int partition)
    {
        unchecked
        {
            var hash = 14695981039346656037ul;
            foreach (var c in topic)
            {
                hash = (hash ^ c) * 1099511628211ul;
            }

            hash = (hash ^ (uint)partition) * 1099511628211ul;
            return (long)hash;
        }
    }

    public long StreamOf(TopicPartition partition)
    {
        if (!ReferenceEquals(partition, _lastPartition))
        {
            _lastStream = StreamOf(partition.Topic, partition.Partition.Value);
            _lastPartition = partition;
        }

        return _lastStream;
    }
}

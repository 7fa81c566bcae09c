using Confluent.Kafka;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>Where an event came from; travels with it through the engine so its offset can be stored when done.</summary>
/// <param name="Partition">Topic and partition.</param>
/// <param name="Offset">Offset in the partition.</param>
/// <param name="Event">The event; null for a dead letter.</param>
/// <param name="DeadLetterCode">The reason code of a dead letter.</param>
/// <param name="ConsumedAt">When it was consumed (<see cref="TimeProvider.GetTimestamp"/>), for latency.</param>
/// <param name="Command">A control message for the detection loop instead of an event.</param>
internal readonly record struct InputPosition(TopicPartition Partition, long Offset, AccountEvent? Event, string? DeadLetterCode = null, long ConsumedAt = 0, ShardCommand? Command = null)
{
    public static InputPosition For(ShardCommand command) => new(null!, -1, null, Command: command);
}

using Confluent.Kafka;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>Optional listener to what the pipeline finished, called before the offset is stored.</summary>
public interface IProcessingObserver
{
    /// <summary>An event's processing and its outputs are complete.</summary>
    /// <param name="accountEvent">The event.</param>
    /// <param name="outcome">What became of it.</param>
    /// <param name="position">Where it was consumed from.</param>
    void OnEventDone(AccountEvent accountEvent, EventOutcome outcome, TopicPartitionOffset position);

    /// <summary>A message was dead-lettered and the dead letter was delivered.</summary>
    /// <param name="position">Where it was consumed from.</param>
    /// <param name="reasonCode">The reason code.</param>
    void OnDeadLettered(TopicPartitionOffset position, string reasonCode);
}

using System.Collections.Concurrent;
using Confluent.Kafka;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.Worker.Pipeline;

namespace UsageSentinel.IntegrationTests.Kafka;

/// <summary>Records what the pipeline reports done, from its consume thread.</summary>
public sealed class RecordingObserver : IProcessingObserver
{
    public ConcurrentDictionary<string, TopicPartitionOffset> Done { get; } = new();

    public ConcurrentQueue<(TopicPartitionOffset Position, string Code)> DeadLetters { get; } = new();

    public void OnEventDone(AccountEvent accountEvent, EventOutcome outcome, TopicPartitionOffset position) =>
        Done[accountEvent.EventId] = position;

    public void OnDeadLettered(TopicPartitionOffset position, string reasonCode) => DeadLetters.Enqueue((position, reasonCode));
}

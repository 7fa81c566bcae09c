using Confluent.Kafka;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>A message whose delivery failed, to produce again; <paramref name="Pending"/> is released on success.</summary>
/// <param name="Topic">Target topic.</param>
/// <param name="Message">The message.</param>
/// <param name="Pending">What waits for it.</param>
/// <param name="Sequence">Its place in the order outputs were published, for checkpoints.</param>
internal sealed record RetryItem(string Topic, Message<string, byte[]> Message, PendingEvent Pending, long Sequence);

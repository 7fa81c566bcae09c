namespace UsageSentinel.Core.Ports;

/// <summary>Throughput and lag of one input topic, part of a <see cref="WorkerHealthSample"/>.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="EventsPerSecond">Events consumed per second since the previous sample.</param>
/// <param name="Lag">Consumer lag summed over the worker's assigned partitions, in messages.</param>
public readonly record struct TopicHealthSample(string Topic, double EventsPerSecond, long Lag);

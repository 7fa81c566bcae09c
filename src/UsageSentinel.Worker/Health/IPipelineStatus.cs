namespace UsageSentinel.Worker.Health;

/// <summary>What the health checks read from the Kafka pipeline; cheap, lock-free reads.</summary>
internal interface IPipelineStatus
{
    /// <summary>Gets whether the consumer has joined its group and has partitions.</summary>
    bool IsReady { get; }

    /// <summary>Gets whether the consume loop has ended (stopped or failed).</summary>
    bool HasStopped { get; }

    /// <summary>Gets the <see cref="TimeProvider.GetTimestamp"/> of the consume loop's last poll, or of the pipeline's creation before its first.</summary>
    long LastPollTimestamp { get; }

    /// <summary>Gets the consumer lag summed over the assigned partitions at the last status interval.</summary>
    long ConsumerLag { get; }

    /// <summary>Gets the partition numbers whose state is restored and whose input is read here.</summary>
    IReadOnlyCollection<int> OwnedPartitions => [];
}

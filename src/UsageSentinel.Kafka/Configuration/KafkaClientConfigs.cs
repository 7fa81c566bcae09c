using Confluent.Kafka;

namespace UsageSentinel.Kafka.Configuration;

/// <summary>Builds Confluent.Kafka client configurations from <see cref="KafkaOptions"/>.</summary>
public static class KafkaClientConfigs
{
    /// <summary>The consumer of the worker: offsets stored only after an event's outputs are produced.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The configuration.</returns>
    public static ConsumerConfig Consumer(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ConsumerConfig(PassThrough(options))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = (int)options.CommitInterval.TotalMilliseconds,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = Math.Max(100, (int)options.SessionTimeout.TotalMilliseconds / 5),
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            EnablePartitionEof = false,
            ClientId = "usage-sentinel-worker",
        };
        return config;
    }

    /// <summary>The producer of anomalies and dead letters: idempotent, acknowledged by all replicas.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The configuration.</returns>
    public static ProducerConfig Producer(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ProducerConfig(PassThrough(options))
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            ClientId = "usage-sentinel-producer",
        };
    }

    /// <summary>
    /// A consumer that reads partitions it is given (no group membership, never commits): the worker's input reader,
    /// whose partitions follow the state partitions the group gives it, and the changelog restore reader.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="clientId">The client id, to tell the readers apart in broker logs.</param>
    /// <returns>The configuration.</returns>
    public static ConsumerConfig Reader(KafkaOptions options, string clientId)
    {
        var config = Consumer(options);
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.ClientId = clientId;
        return config;
    }

    /// <summary>The admin client that checks topics and creates the state topic.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The configuration.</returns>
    public static AdminClientConfig Admin(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AdminClientConfig(PassThrough(options)) { BootstrapServers = options.BootstrapServers, ClientId = "usage-sentinel-admin" };
    }

    private static Dictionary<string, string> PassThrough(KafkaOptions options) => new(options.Settings, StringComparer.Ordinal);
}

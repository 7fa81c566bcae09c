using System.Diagnostics;
using Confluent.Kafka;

namespace UsageSentinel.EmbeddedKafka.Tests;

/// <summary>Real Confluent.Kafka clients pointed at a <see cref="MockKafkaCluster"/>.</summary>
internal static class KafkaTestClients
{
    /// <summary>The longest any test waits for the cluster to do something.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static IProducer<string, string> CreateProducer(MockKafkaCluster cluster, bool idempotent = true) =>
        new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = idempotent,
            MessageTimeoutMs = (int)Deadline.TotalMilliseconds,
            // Reconnect quickly once a broker that was set down is back up.
            ReconnectBackoffMs = 50,
            ReconnectBackoffMaxMs = 500,
        }).Build();

    public static IConsumer<string, string> CreateConsumer(MockKafkaCluster cluster, string groupId) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6_000,
        }).Build();

    /// <summary>Consumes until <paramref name="count"/> messages arrived or <see cref="Deadline"/> passed.</summary>
    public static List<ConsumeResult<string, string>> ConsumeAtMost(IConsumer<string, string> consumer, int count)
    {
        var received = new List<ConsumeResult<string, string>>(count);
        var clock = Stopwatch.StartNew();
        while (received.Count < count && clock.Elapsed < Deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(250));
            if (result is { IsPartitionEOF: false })
            {
                received.Add(result);
            }
        }

        return received;
    }

    /// <summary>Produces <c>key-i</c>/<c>value-i</c> for i in [0, count) and waits for every delivery.</summary>
    public static async Task<DeliveryResult<string, string>[]> ProduceAsync(
        IProducer<string, string> producer, string topic, int count)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var deliveries = Enumerable.Range(0, count)
            .Select(i => producer.ProduceAsync(
                topic,
                new Message<string, string> { Key = $"key-{i}", Value = $"value-{i}" },
                timeout.Token));
        return await Task.WhenAll(deliveries);
    }
}

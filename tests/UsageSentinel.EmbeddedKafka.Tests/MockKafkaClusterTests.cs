using System.Diagnostics;
using Confluent.Kafka;

namespace UsageSentinel.EmbeddedKafka.Tests;

public sealed class MockKafkaClusterTests
{
    private const short ProduceApiKey = 0;

    [Fact]
    public void Start_OneBroker_BootstrapServersIsOneLoopbackEndpoint()
    {
        using var cluster = MockKafkaCluster.Start();

        cluster.BootstrapServers.ShouldMatch(@"^127\.0\.0\.1:\d{1,5}$");
    }

    [Fact]
    public void Start_ThreeBrokers_BootstrapServersListsThreeEndpoints()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 3);

        var endpoints = cluster.BootstrapServers.Split(',');
        endpoints.Length.ShouldBe(3);
        endpoints.ShouldAllBe(endpoint => endpoint.StartsWith("127.0.0.1:", StringComparison.Ordinal));
        endpoints.Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public void Start_ZeroBrokers_ThrowsArgumentOutOfRange()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => MockKafkaCluster.Start(brokers: 0));
    }

    [Fact]
    public void Dispose_CalledTwice_DoesNotThrow()
    {
        var cluster = MockKafkaCluster.Start();

        cluster.Dispose();

        Should.NotThrow(cluster.Dispose);
    }

    [Fact]
    public void CreateTopic_AfterDispose_ThrowsObjectDisposed()
    {
        var cluster = MockKafkaCluster.Start();
        cluster.Dispose();

        Should.Throw<ObjectDisposedException>(() => cluster.CreateTopic("t", 1));
    }

    [Fact]
    public void CreateTopic_ZeroPartitions_ThrowsArgumentOutOfRange()
    {
        using var cluster = MockKafkaCluster.Start();

        Should.Throw<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", 0))
            .ParamName.ShouldBe("partitions");
    }

    [Fact]
    public void CreateTopic_MoreReplicasThanBrokers_ThrowsArgumentOutOfRange()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 1);

        Should.Throw<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", 1, replicationFactor: 2))
            .ParamName.ShouldBe("replicationFactor");
    }

    [Fact]
    public void CreateTopic_ExistingTopic_ThrowsWithLibrdkafkaErrorName()
    {
        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic("t", 1);

        Should.Throw<InvalidOperationException>(() => cluster.CreateTopic("t", 1))
            .Message.ShouldContain("TOPIC_ALREADY_EXISTS");
    }

    [Fact]
    public async Task CreateTopic_ThreePartitions_GroupConsumerReceivesAllProducedMessages()
    {
        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic("t", 3);
        using var producer = KafkaTestClients.CreateProducer(cluster);

        var deliveries = await KafkaTestClients.ProduceAsync(producer, "t", 100);

        deliveries.ShouldAllBe(delivery => delivery.Status == PersistenceStatus.Persisted);
        using var consumer = KafkaTestClients.CreateConsumer(cluster, "group-all");
        try
        {
            consumer.Subscribe("t");
            var received = KafkaTestClients.ConsumeAtMost(consumer, 100);

            received.Select(result => result.Message.Value)
                .ShouldBe(Enumerable.Range(0, 100).Select(i => $"value-{i}"), ignoreOrder: true);
            received.Select(result => result.Partition.Value).Distinct().Order().ShouldBe([0, 1, 2]);
        }
        finally
        {
            consumer.Close();
        }
    }

    [Fact]
    public async Task Commit_ConsumedOffsets_AreReadBackAsCommittedByAnotherGroupMember()
    {
        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic("t", 1);
        using (var producer = KafkaTestClients.CreateProducer(cluster))
        {
            await KafkaTestClients.ProduceAsync(producer, "t", 10);
        }

        using (var consumer = KafkaTestClients.CreateConsumer(cluster, "group-commit"))
        {
            try
            {
                consumer.Subscribe("t");
                var received = KafkaTestClients.ConsumeAtMost(consumer, 10);
                received.Count.ShouldBe(10);

                consumer.Commit(received[^1]);
            }
            finally
            {
                consumer.Close();
            }
        }

        using var reader = KafkaTestClients.CreateConsumer(cluster, "group-commit");
        try
        {
            var committed = reader.Committed([new TopicPartition("t", 0)], KafkaTestClients.Deadline);

            committed.ShouldHaveSingleItem().Offset.ShouldBe(new Offset(10));
        }
        finally
        {
            reader.Close();
        }
    }

    [Fact]
    public async Task SetBrokerDown_ProduceWhileDown_CompletesOnceBrokerIsUp()
    {
        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic("t", 1);
        using var producer = KafkaTestClients.CreateProducer(cluster);
        await KafkaTestClients.ProduceAsync(producer, "t", 1);

        cluster.SetBrokerDown(1);
        var whileDown = producer.ProduceAsync("t", new Message<string, string> { Key = "k", Value = "while-down" });
        var settled = await Task.WhenAny(whileDown, Task.Delay(TimeSpan.FromMilliseconds(500)));
        settled.ShouldNotBe(whileDown, "a message was delivered to a broker that is down");
        cluster.SetBrokerUp(1);

        var delivery = await whileDown.WaitAsync(KafkaTestClients.Deadline);
        delivery.Status.ShouldBe(PersistenceStatus.Persisted);
        delivery.Offset.ShouldBe(new Offset(1));
    }

    [Fact]
    public void SetBrokerDown_UnknownBroker_ThrowsWithLibrdkafkaErrorName()
    {
        using var cluster = MockKafkaCluster.Start();

        Should.Throw<InvalidOperationException>(() => cluster.SetBrokerDown(42))
            .Message.ShouldContain("BROKER_NOT_AVAILABLE");
    }

    [Fact]
    public async Task SetBrokerRtt_HalfASecond_DelaysDeliveryByAtLeastThat()
    {
        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic("t", 1);
        using var producer = KafkaTestClients.CreateProducer(cluster);
        await KafkaTestClients.ProduceAsync(producer, "t", 1);

        cluster.SetBrokerRtt(1, TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();
        await KafkaTestClients.ProduceAsync(producer, "t", 1);
        var delayed = clock.Elapsed;
        cluster.SetBrokerRtt(1, TimeSpan.Zero);

        delayed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450));
    }

    [Fact]
    public async Task PushRequestErrors_PermanentProduceError_FailsNextProduceThenRecovers()
    {
        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic("t", 1);
        using var producer = KafkaTestClients.CreateProducer(cluster, idempotent: false);
        await KafkaTestClients.ProduceAsync(producer, "t", 1);

        cluster.PushRequestErrors(ProduceApiKey, ErrorCode.MsgSizeTooLarge);

        var failure = await Should.ThrowAsync<ProduceException<string, string>>(
            () => producer.ProduceAsync("t", new Message<string, string> { Key = "k", Value = "rejected" }));
        failure.Error.Code.ShouldBe(ErrorCode.MsgSizeTooLarge);
        var next = await producer.ProduceAsync("t", new Message<string, string> { Key = "k", Value = "accepted" });
        next.Status.ShouldBe(PersistenceStatus.Persisted);
    }

    [Fact]
    public void PushRequestErrors_NoErrors_ThrowsArgumentOutOfRange()
    {
        using var cluster = MockKafkaCluster.Start();

        Should.Throw<ArgumentOutOfRangeException>(() => cluster.PushRequestErrors(ProduceApiKey));
    }
}

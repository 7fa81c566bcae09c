using System.Text;
using Confluent.Kafka;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.Worker.State;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>Restore reads account records up to each checkpoint record that closes them, over the real protocol.</summary>
[Collection(KafkaCollection.Name)]
public sealed class ChangelogRestorerTests(KafkaFixture kafka)
{
    private static readonly byte[] Clock = [1, 2, 3];

    [Fact]
    public void Read_CheckpointCutShortByADeadOwner_ItsRecordsIgnoredEvenAfterTheNextOwnersCheckpoint()
    {
        var topic = $"restore-{Guid.NewGuid():N}";
        kafka.Cluster.CreateTopic(topic, 1);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build())
        {
            void Account(string id, string value, byte[] checkpoint) =>
                producer.Produce(new TopicPartition(topic, 0), new Message<string, byte[]> { Key = id, Value = Encoding.UTF8.GetBytes(value), Headers = StateRecords.AccountHeaders(checkpoint) });
            void Close(byte[] checkpoint, long offset) =>
                producer.Produce(new TopicPartition(topic, 0), new Message<string, byte[]>
                {
                    Key = StateRecords.CheckpointKey,
                    Value = StateRecords.Encode(new Checkpoint(Clock, new Dictionary<string, long> { ["in"] = offset })),
                    Headers = StateRecords.CheckpointHeaders(checkpoint),
                });

            byte[] first = [1], dead = [2], next = [3], unfinished = [4];
            Account("x", "x1", first);
            Account("y", "y1", first);
            Close(first, 10);
            Account("x", "x2-dead-owner", dead);  // the owner died before closing this checkpoint
            Account("y", "y2", next);             // the next owner's checkpoint
            Close(next, 20);
            Account("z", "z1-unfinished", unfinished);
            producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        }

        using var reader = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "restorer-test", EnableAutoCommit = false }).Build();
        var restored = ChangelogRestorer.Read(reader, new TopicPartition(topic, 0), TimeSpan.FromSeconds(30));

        restored.Accounts.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value)).ShouldBe(new Dictionary<string, string> { ["x"] = "x1", ["y"] = "y2" });
        restored.Checkpoint.ShouldNotBeNull().Offsets["in"].ShouldBe(20);
        restored.Checkpoint.Clock.ShouldBe(Clock);
        restored.Ignored.ShouldBe(2);
        restored.Records.ShouldBe(7);
    }

    [Fact]
    public void Read_PreviousOwnerWritesAfterTheNextOwnerTookOver_ItsRecordsIgnored()
    {
        var topic = $"restore-{Guid.NewGuid():N}";
        kafka.Cluster.CreateTopic(topic, 1);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build())
        {
            void Send(string key, string value, Headers headers) =>
                producer.Produce(new TopicPartition(topic, 0), new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(value), Headers = headers });
            void Close(byte[] checkpoint, long epoch, long offset) =>
                producer.Produce(new TopicPartition(topic, 0), new Message<string, byte[]>
                {
                    Key = StateRecords.CheckpointKey,
                    Value = StateRecords.Encode(new Checkpoint(Clock, new Dictionary<string, long> { ["in"] = offset })),
                    Headers = StateRecords.CheckpointHeaders(checkpoint, epoch),
                });

            Send(StateRecords.OwnerKey, "", StateRecords.OwnerHeaders(1));
            Send("x", "x-first-owner", StateRecords.AccountHeaders([1], 1));
            Close([1], 1, 10);
            Send(StateRecords.OwnerKey, "", StateRecords.OwnerHeaders(2));  // the next owner took over
            Send("y", "y-second-owner", StateRecords.AccountHeaders([2], 2));
            Close([2], 2, 20);
            Send("x", "x-zombie", StateRecords.AccountHeaders([3], 1));     // the first owner, still running
            Close([3], 1, 15);
            producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        }

        using var reader = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "restorer-test", EnableAutoCommit = false }).Build();
        var restored = ChangelogRestorer.Read(reader, new TopicPartition(topic, 0), TimeSpan.FromSeconds(30));

        restored.Accounts.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value)).ShouldBe(new Dictionary<string, string> { ["x"] = "x-first-owner", ["y"] = "y-second-owner" });
        restored.Checkpoint.ShouldNotBeNull().Offsets["in"].ShouldBe(20, "the zombie's checkpoint is not the last one");
        restored.Epoch.ShouldBe(2);
    }

    [Fact]
    public void Read_EmptyPartition_NothingRestoredNoCheckpoint()
    {
        var topic = $"restore-{Guid.NewGuid():N}";
        kafka.Cluster.CreateTopic(topic, 1);
        using var reader = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "restorer-test", EnableAutoCommit = false }).Build();

        var restored = ChangelogRestorer.Read(reader, new TopicPartition(topic, 0), TimeSpan.FromSeconds(30));

        restored.Accounts.ShouldBeEmpty();
        restored.Checkpoint.ShouldBeNull();
    }

    [Fact]
    public void Decode_TruncatedCheckpoint_NamesWhatIsMissing()
    {
        var bytes = StateRecords.Encode(new Checkpoint(Clock, new Dictionary<string, long> { ["gpu.instance-events"] = 42 }));

        var decoded = StateRecords.Decode(bytes);
        decoded.Offsets["gpu.instance-events"].ShouldBe(42);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Should.Throw<InvalidDataException>(() => StateRecords.Decode(bytes.AsSpan(0, cut))).Message.ShouldStartWith("Changelog checkpoint record:");
        }
    }
}

using UsageSentinel.EmbeddedKafka;

namespace UsageSentinel.IntegrationTests.Kafka;

/// <summary>One embedded Kafka (librdkafka's mock cluster, real protocol on loopback) per test collection.</summary>
public sealed class KafkaFixture : IDisposable
{
    private int _topicCounter;

    public KafkaFixture()
    {
        Cluster = MockKafkaCluster.Start();
    }

    public MockKafkaCluster Cluster { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>Creates a fresh set of topics so tests in the collection do not see each other's messages.</summary>
    public TestTopics NewTopics(int partitions = 3)
    {
        var n = Interlocked.Increment(ref _topicCounter);
        var topics = new TestTopics($"t{n}.gpu.instance-events", $"t{n}.billing.events", $"t{n}.accounts.profiles", $"t{n}.anomalies", $"t{n}.dead-letter", $"group-{n}", $"t{n}.state", $"t{n}.links", $"t{n}.population");
        foreach (var topic in topics.Inputs)
        {
            Cluster.CreateTopic(topic, partitions);
        }

        Cluster.CreateTopic(topics.Anomalies, 1);
        Cluster.CreateTopic(topics.DeadLetter, 1);
        Cluster.CreateTopic(topics.State, partitions);
        Cluster.CreateTopic(topics.Links, partitions);
        Cluster.CreateTopic(topics.Population, partitions);
        return topics;
    }

    public void Dispose() => Cluster.Dispose();
}

public sealed record TestTopics(string Instance, string Billing, string Profiles, string Anomalies, string DeadLetter, string GroupId, string State, string Links, string Population)
{
    public string[] Inputs => [Instance, Billing, Profiles];
}

[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaFixture>
{
    public const string Name = "kafka";
}

using Confluent.Kafka;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.Simulation;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>
/// Issue 5, cross-partition aggregation of the population model: with two workers, each owning one partition, each
/// worker's model is trained on the newest snapshots of both partitions (through the population topic).
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class PopulationAcrossWorkersTests(KafkaFixture kafka)
{
    private static readonly string[] Settings =
    [
        "--Detection:PopulationOutlier:MinimumAccounts=20",
        "--Detection:AllowedLateness=00:00:00",
    ];

    [Fact]
    public async Task TwoWorkers_EachTrainsOnEveryPartitionsAccounts()
    {
        var topics = kafka.NewTopics(partitions: 2);
        var events = new PopulationSimulator(new SimulationOptions { Seed = 5, Accounts = 120, Duration = TimeSpan.FromDays(4) }).Generate().ToList();
        Produce(topics, events);

        // The last snapshot is taken at the last day boundary the events pass.
        var last = events.Max(e => e.OccurredAt);
        var boundary = new DateTimeOffset(last.UtcTicks - (last.UtcTicks % TimeSpan.TicksPerDay), TimeSpan.Zero);

        var shared = Fresh(topics, "shared");
        await using var first = await WorkerRunner.StartAsync(kafka, shared, Settings);
        await using var second = await WorkerRunner.StartAsync(kafka, shared, Settings);
        await Wait.UntilAsync(() => first.Pipeline.OwnedPartitions.Count == 1 && second.Pipeline.OwnedPartitions.Count == 1, TimeSpan.FromSeconds(60), "one partition each");

        // What each partition's engine snapshotted at the last boundary, as written to the population topic.
        var perPartition = await Wait.ForAsync(() => Task.FromResult(SnapshotRows(shared, boundary)), rows => rows.Count == 2, TimeSpan.FromSeconds(120));
        perPartition.Count.ShouldBe(2, "both partitions snapshot their accounts");
        var expected = perPartition.Values.Sum();
        expected.ShouldBeGreaterThan(perPartition.Values.Max());

        bool Trained(WorkerRunner w) => w.Pipeline.LastPopulationTrainingEventTime == boundary && w.Pipeline.LastPopulationTrainingAccounts == expected;
        string Describe(WorkerRunner w) => $"{w.Pipeline.LastPopulationTrainingAccounts} accounts at {w.Pipeline.LastPopulationTrainingEventTime:o}, partitions {string.Join(",", w.Pipeline.OwnedPartitions)}, {w.Observer.Done.Count} events done";
        try
        {
            await Wait.UntilAsync(() => Trained(first) && Trained(second), TimeSpan.FromSeconds(120), $"both workers trained on all {expected} accounts at {boundary:o}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} First: {Describe(first)}. Second: {Describe(second)}.", ex);
        }

        (first.Observer.Done.Count + second.Observer.Done.Count).ShouldBeGreaterThanOrEqualTo(events.Count);
    }

    /// <summary>Rows per source partition of the snapshots taken at <paramref name="boundary"/>, read from the population topic.</summary>
    private Dictionary<int, int> SnapshotRows(TestTopics topics, DateTimeOffset boundary)
    {
        using var reader = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "population-reader", EnableAutoCommit = false }).Build();
        var rows = new Dictionary<int, int>();
        for (var p = 0; p < 2; p++)
        {
            var tp = new TopicPartition(topics.Population, p);
            var high = reader.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            reader.Assign(new TopicPartitionOffset(tp, 0));
            var chunks = new Dictionary<(int Partition, int Index), int>();
            for (var next = 0L; next < high;)
            {
                if (reader.Consume(TimeSpan.FromSeconds(1)) is { } result)
                {
                    next = result.Offset.Value + 1;
                    var chunk = Worker.State.PopulationSnapshotCodec.Decode(result.Message.Value);
                    if (chunk.EventTimeTicks == boundary.UtcTicks)
                    {
                        chunks[(chunk.Partition, chunk.Index)] = chunk.Features.Count;
                    }
                }
            }

            foreach (var ((partition, _), count) in chunks)
            {
                rows[partition] = rows.GetValueOrDefault(partition) + count;
            }
        }

        return rows;
    }

    /// <summary>The same input topics with a group and internal topics of its own.</summary>
    private TestTopics Fresh(TestTopics topics, string name)
    {
        var fresh = topics with
        {
            GroupId = $"{topics.GroupId}-{name}",
            State = $"{topics.State}-{name}",
            Links = $"{topics.Links}-{name}",
            Population = $"{topics.Population}-{name}",
            Anomalies = $"{topics.Anomalies}-{name}",
        };
        foreach (var topic in new[] { fresh.State, fresh.Links, fresh.Population })
        {
            kafka.Cluster.CreateTopic(topic, 2);
        }

        kafka.Cluster.CreateTopic(fresh.Anomalies, 1);
        return fresh;
    }

    private void Produce(TestTopics topics, IEnumerable<SimulatedEvent> events) => SimulatedInput.Produce(kafka, topics, events);
}

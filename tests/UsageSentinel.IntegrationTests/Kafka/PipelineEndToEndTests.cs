using System.Text;
using Confluent.Kafka;
using UsageSentinel.Kafka.Anomalies;
using UsageSentinel.Kafka.DeadLetters;
using UsageSentinel.TestKit;

namespace UsageSentinel.IntegrationTests.Kafka;

[Collection(KafkaCollection.Name)]
public sealed class PipelineEndToEndTests(KafkaFixture kafka)
{
    private static readonly DateTimeOffset T0 = Some.Epoch;

    private IProducer<string, string> CreateProducer() =>
        new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5 }).Build();

    private async Task ProduceAsync(string topic, IEnumerable<(string Key, string Value)> messages)
    {
        using var producer = CreateProducer();
        foreach (var (key, value) in messages)
        {
            producer.Produce(topic, new Message<string, string> { Key = key, Value = value });
        }

        producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        await Task.CompletedTask;
    }

    private List<ConsumeResult<string, byte[]>> ReadAll(string topic, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }

    [Fact]
    public async Task Pipeline_TrainingRunAndPoison_PublishesAnomaliesDeadLettersAndCommits()
    {
        var topics = kafka.NewTopics();
        await using var worker = await WorkerRunner.StartAsync(kafka, topics);

        var events = ContractJson.TrainingRun("acct-train", T0, hours: 24, prefix: "e2e").ToList();
        events.Add(("acct-other", ContractJson.Charge("e2e-c1", "acct-other", T0, 12.5m)));
        await ProduceAsync(topics.Instance, events.Where(e => !e.Value.Contains("billing", StringComparison.Ordinal)));
        await ProduceAsync(topics.Billing, events.Where(e => e.Value.Contains("billing", StringComparison.Ordinal)));
        await ProduceAsync(topics.Instance,
        [
            ("acct-bad", """{"event_id":"p1","event_type":"instance.launched","occurred_at":"2026-03-01T00:00:00Z","account_id":"acct-bad","instance_type":"p5.48xlarge","region":"us-east-1"}"""),
            ("acct-bad", "not json at all"),
            ("acct-bad", """{"event_id":"p3","event_type":"instance.melted","occurred_at":"2026-03-01T00:00:00Z","account_id":"acct-bad"}"""),
        ]);

        await Wait.UntilAsync(() => worker.Observer.Done.Count == events.Count && worker.Observer.DeadLetters.Count == 3, TimeSpan.FromSeconds(60), "all events processed and dead-lettered");

        var anomalies = ReadAll(topics.Anomalies, 2, TimeSpan.FromSeconds(30)).Select(r => AnomalyRecord.Parse(r.Message.Value)).ToList();
        anomalies.Count.ShouldBe(2);
        anomalies.ShouldAllBe(a => a.AccountId == "acct-train" && a.Detector == "training_scale");
        anomalies.Select(a => a.Kind).ShouldBe(["projected", "crossed"]);
        anomalies.Select(a => a.DedupKey).Distinct().Count().ShouldBe(1);

        var deadLetters = ReadAll(topics.DeadLetter, 3, TimeSpan.FromSeconds(30));
        deadLetters.Count.ShouldBe(3);
        deadLetters.Select(r => Header(r, DeadLetterHeaders.Reason)).ShouldBe(["missing_field", "malformed_json", "unknown_event_type"], ignoreOrder: true);
        deadLetters.Select(r => Header(r, DeadLetterHeaders.SourceTopic)).ShouldAllBe(t => t == topics.Instance);
        var missing = deadLetters.Single(r => Header(r, DeadLetterHeaders.Reason) == "missing_field");
        Header(missing, DeadLetterHeaders.Message).ShouldContain("instance_id");
        Encoding.UTF8.GetString(missing.Message.Value).ShouldContain("\"event_id\":\"p1\"");
        var original = deadLetters.Single(r => Header(r, DeadLetterHeaders.Reason) == "malformed_json");
        Encoding.UTF8.GetString(original.Message.Value).ShouldBe("not json at all");
        long.Parse(Header(original, DeadLetterHeaders.SourceOffset), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(0);

        await worker.StopAsync();
        var committed = Committed(topics);
        var ends = EndOffsets(topics);
        committed.ShouldBe(ends);
    }

    [Fact]
    public async Task Pipeline_DuplicateEvents_ChangeNothing()
    {
        var topics = kafka.NewTopics();
        await using var worker = await WorkerRunner.StartAsync(kafka, topics);
        var events = ContractJson.TrainingRun("acct-dup", T0, hours: 24, prefix: "dup").ToList();
        await ProduceAsync(topics.Instance, events.Concat(events)); // every event twice

        await Wait.UntilAsync(() => worker.Pipeline.Counters.Consumed == events.Count * 2 && worker.Pipeline.Processed + DuplicatesOf(worker) == events.Count * 2, TimeSpan.FromSeconds(60), "all messages handled");
        DuplicatesOf(worker).ShouldBe(events.Count);
        var anomalies = ReadAll(topics.Anomalies, 3, TimeSpan.FromSeconds(5));
        anomalies.Count.ShouldBe(2);
    }

    private static string Header(ConsumeResult<string, byte[]> r, string name) => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(name));

    private static long DuplicatesOf(WorkerRunner worker) => worker.Pipeline.Duplicates;

    private Dictionary<string, long> Committed(TestTopics topics)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = topics.GroupId }).Build();
        var partitions = topics.Inputs.SelectMany(t => Enumerable.Range(0, 3).Select(p => new TopicPartition(t, p))).ToList();
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(p => $"{p.Topic}[{p.Partition.Value}]", p => Math.Max(0, p.Offset.Value));
    }

    private Dictionary<string, long> EndOffsets(TestTopics topics)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "watermarks" }).Build();
        return topics.Inputs.SelectMany(t => Enumerable.Range(0, 3).Select(p => new TopicPartition(t, p)))
            .ToDictionary(p => $"{p.Topic}[{p.Partition.Value}]", p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
    }
}

using Confluent.Kafka;
using UsageSentinel.TestKit;

namespace UsageSentinel.IntegrationTests.Kafka;

[Collection(KafkaCollection.Name)]
public sealed class KafkaOutageTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Pipeline_BrokerDownThenUp_RecoversAndLosesNothing()
    {
        var topics = kafka.NewTopics();
        await using var worker = await WorkerRunner.StartAsync(kafka, topics);
        var events = ContractJson.TrainingRun("acct-outage", Some.Epoch, hours: 24, prefix: "out").ToList();
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true, MessageTimeoutMs = 120_000 }).Build();

        // First half while the broker is up.
        foreach (var (key, value) in events.Take(events.Count / 2))
        {
            producer.Produce(topics.Instance, new Message<string, string> { Key = key, Value = value });
        }

        producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        await Wait.UntilAsync(() => worker.Observer.Done.Count == events.Count / 2, TimeSpan.FromSeconds(60), "the first half processed");

        kafka.Cluster.SetBrokerDown(1);
        try
        {
            foreach (var (key, value) in events.Skip(events.Count / 2))
            {
                producer.Produce(topics.Instance, new Message<string, string> { Key = key, Value = value });
            }

            // While the broker is down nothing new can arrive.
            producer.Flush(TimeSpan.FromSeconds(1)).ShouldBeGreaterThan(0);
            worker.Observer.Done.Count.ShouldBe(events.Count / 2);
        }
        finally
        {
            kafka.Cluster.SetBrokerUp(1);
        }

        producer.Flush(TimeSpan.FromSeconds(60)).ShouldBe(0);
        await Wait.UntilAsync(() => worker.Observer.Done.Count == events.Count, TimeSpan.FromSeconds(90), "the second half processed after the outage");
        await Wait.UntilAsync(() => worker.Pipeline.Counters.AnomaliesPublished == 2, TimeSpan.FromSeconds(60), "both anomalies delivered");
    }
}

using Confluent.Kafka;
using UsageSentinel.Simulation;

namespace UsageSentinel.IntegrationTests.Kafka;

/// <summary>Produces simulated events, keyed by account, to the input topics of a test.</summary>
public static class SimulatedInput
{
    public static void Produce(KafkaFixture kafka, TestTopics topics, IEnumerable<SimulatedEvent> events)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, LingerMs = 5, EnableIdempotence = true }).Build();
        foreach (var e in events)
        {
            producer.Produce(TopicOf(topics, e), new Message<string, byte[]> { Key = e.AccountId, Value = e.Utf8Json });
        }

        producer.Flush(TimeSpan.FromSeconds(60)).ShouldBe(0);
    }

    public static string TopicOf(TestTopics topics, SimulatedEvent e) => e.Topic switch
    {
        SimulationTopics.BillingEvents => topics.Billing,
        SimulationTopics.AccountProfiles => topics.Profiles,
        _ => topics.Instance,
    };
}

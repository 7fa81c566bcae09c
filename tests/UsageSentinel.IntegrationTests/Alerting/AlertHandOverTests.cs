using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Ports;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.TestKit;

namespace UsageSentinel.IntegrationTests.Alerting;

/// <summary>The worker holds an event's offset until the alert outbox has accepted the anomalies it raised.</summary>
[Collection(KafkaCollection.Name)]
public sealed class AlertHandOverTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Run_OutboxFailsAtFirst_EventsCompleteOnlyAfterEveryAnomalyIsAccepted()
    {
        var notifier = new FlakyNotifier(failures: 3);
        var topics = kafka.NewTopics();
        await using var worker = await WorkerRunner.StartAsync(kafka, topics, services => services.AddSingleton<IAlertNotifier>(notifier));
        var events = ContractJson.TrainingRun("acct-handover", Some.Epoch, hours: 24, prefix: "ho").ToList();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            foreach (var (key, value) in events)
            {
                producer.Produce(topics.Instance, new Message<string, string> { Key = key, Value = value });
            }

            producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        }

        await Wait.UntilAsync(() => worker.Observer.Done.Count == events.Count, TimeSpan.FromSeconds(60), "every event done");

        notifier.Failed.ShouldBe(3);
        notifier.Accepted.Count.ShouldBe((int)worker.Pipeline.Counters.AnomaliesPublished, "each published anomaly was handed over, after the failures");
        notifier.Accepted.ShouldAllBe(a => a.AccountId == "acct-handover");
    }

    private sealed class FlakyNotifier(int failures) : IAlertNotifier
    {
        private int _calls;

        public int Failed { get; private set; }

        public List<AnomalyDetected> Accepted { get; } = [];

        public ValueTask NotifyAsync(AnomalyDetected anomaly, CancellationToken cancellationToken)
        {
            lock (Accepted)
            {
                if (_calls++ < failures)
                {
                    Failed++;
                    throw new IOException("outbox disk full (simulated)");
                }

                Accepted.Add(anomaly);
                return ValueTask.CompletedTask;
            }
        }
    }
}

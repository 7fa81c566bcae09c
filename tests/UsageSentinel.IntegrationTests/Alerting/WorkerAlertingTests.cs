using System.Text;
using Confluent.Kafka;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.Kafka.Anomalies;
using UsageSentinel.Kafka.DeadLetters;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Servers;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.IntegrationTests.Alerting;

/// <summary>Anomalies from Kafka through the worker to an on-call receiver, and to the dead-letter topic when refused.</summary>
[Collection(KafkaCollection.Name)]
public sealed class WorkerAlertingTests(KafkaFixture kafka) : IDisposable
{
    private const string HmacKey = "it-hmac-key-0123456789";
    private static readonly DateTimeOffset T0 = Some.Epoch;
    private readonly string _outbox = Directory.CreateTempSubdirectory("usage-sentinel-outbox-").FullName;

    public void Dispose() => Directory.Delete(_outbox, recursive: true);

    [Fact]
    public async Task Run_TrainingCrossing_SignedWebhookCarriesTheAnomaly()
    {
        await using var receiver = RecordingHttpReceiver.Start();
        var topics = kafka.NewTopics();
        await using var worker = await WorkerRunner.StartAsync(kafka, topics, Settings(receiver.Url("/hook")));

        await ProduceTrainingRunAsync(topics, "acct-alert");

        var requests = await receiver.WaitForRequestsAsync(1, TimeSpan.FromSeconds(60));
        var request = requests[0];
        request.Method.ShouldBe("POST");
        var timestamp = long.Parse(request.Header("X-UsageSentinel-Timestamp")!, System.Globalization.CultureInfo.InvariantCulture);
        request.Header("X-UsageSentinel-Signature").ShouldBe(WebhookSignature.Sign(HmacKey, timestamp, request.Body));
        var anomaly = AnomalyRecord.Parse(request.Body);
        anomaly.AccountId.ShouldBe("acct-alert");
        anomaly.Detector.ShouldBe("training_scale");
    }

    [Fact]
    public async Task Run_ReceiverRefusesTheAlert_AlertGoesToTheDeadLetterTopicWithReason()
    {
        await using var receiver = RecordingHttpReceiver.Start();
        receiver.RespondWith(400, "bad request");
        var topics = kafka.NewTopics();
        await using var worker = await WorkerRunner.StartAsync(kafka, topics, Settings(receiver.Url("/hook")));

        await ProduceTrainingRunAsync(topics, "acct-refused");

        var deadLetter = ReadOne(topics.DeadLetter, TimeSpan.FromSeconds(60));
        deadLetter.ShouldNotBeNull("the refused alert reaches the dead-letter topic");
        Header(deadLetter, DeadLetterHeaders.Reason).ShouldBe("alert_rejected");
        Header(deadLetter, "x-alert-receiver").ShouldBe("siem");
        AnomalyRecord.Parse(deadLetter.Message.Value).AccountId.ShouldBe("acct-refused");
        Encoding.UTF8.GetString(deadLetter.Message.Value).ShouldNotContain(HmacKey);
    }

    private string[] Settings(string url) =>
    [
        "--Alerting:Receivers:siem:Type=webhook",
        $"--Alerting:Receivers:siem:Url={url}",
        $"--Alerting:Receivers:siem:HmacKey={HmacKey}",
        "--Alerting:Receivers:siem:RetryCount=0",
        "--Alerting:Routes:0:MinSeverity=medium",
        "--Alerting:Routes:0:Receivers:0=siem",
        $"--Alerting:OutboxPath={_outbox}",
    ];

    private async Task ProduceTrainingRunAsync(TestTopics topics, string account)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        foreach (var (key, value) in ContractJson.TrainingRun(account, T0, hours: 24, prefix: account))
        {
            producer.Produce(topics.Instance, new Message<string, string> { Key = key, Value = value });
        }

        producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        await Task.CompletedTask;
    }

    private ConsumeResult<string, byte[]>? ReadOne(string topic, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                consumer.Close();
                return result;
            }
        }

        consumer.Close();
        return null;
    }

    private static string? Header(ConsumeResult<string, byte[]> result, string name) =>
        result.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}

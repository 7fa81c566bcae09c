using System.Diagnostics;
using UsageSentinel.Kafka.Anomalies;
using UsageSentinel.TestKit;
using Confluent.Kafka;

namespace UsageSentinel.IntegrationTests.Kafka;

[Collection(KafkaCollection.Name)]
public sealed class KcatProducerTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Pipeline_EventsProducedByKcat_AreDetected()
    {
        var topics = kafka.NewTopics();
        await using var worker = await WorkerRunner.StartAsync(kafka, topics);
        var lines = ContractJson.TrainingRun("acct-kcat", Some.Epoch, hours: 24, prefix: "kcat").Select(e => $"{e.Key}\t{e.Value}").ToList();

        var start = new ProcessStartInfo("kcat", ["-P", "-b", kafka.BootstrapServers, "-t", topics.Instance, "-K", "\t", "-X", "enable.idempotence=true"])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
        };
        using (var kcat = Process.Start(start)!)
        {
            foreach (var line in lines)
            {
                await kcat.StandardInput.WriteLineAsync(line);
            }

            kcat.StandardInput.Close();
            await kcat.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            kcat.ExitCode.ShouldBe(0, await kcat.StandardError.ReadToEndAsync());
        }

        await Wait.UntilAsync(() => worker.Observer.Done.Count == lines.Count, TimeSpan.FromSeconds(60), "kcat's events processed");
        worker.Observer.Done.Keys.ShouldContain("kcat-l0");

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "kcat-reader", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Subscribe(topics.Anomalies);
        var anomalies = new List<AnomalyRecord>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (anomalies.Count < 2 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } r)
            {
                anomalies.Add(AnomalyRecord.Parse(r.Message.Value));
            }
        }

        consumer.Close();
        anomalies.Select(a => a.Kind).ShouldBe(["projected", "crossed"]);
        anomalies.ShouldAllBe(a => a.AccountId == "acct-kcat");
    }
}

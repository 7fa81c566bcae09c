using Confluent.Kafka;
using UsageSentinel.TestKit;

namespace UsageSentinel.IntegrationTests.Kafka;

[Collection(KafkaCollection.Name)]
public sealed class RestartTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Worker_StoppedMidStreamAndRestarted_LosesNoEvent()
    {
        var topics = kafka.NewTopics();
        const int Accounts = 40;
        const int PerAccount = 150;
        var ids = new List<string>();
        var messages = new List<(string Key, string Value)>();
        for (var n = 0; n < PerAccount; n++)
        {
            for (var a = 0; a < Accounts; a++)
            {
                var id = $"rs-{a}-{n}";
                ids.Add(id);
                messages.Add(($"acct-{a}", ContractJson.Access(id, $"acct-{a}", Some.Epoch.AddMinutes(n))));
            }
        }

        // Produce at a steady pace in the background and stop the first worker while the stream is flowing. The last
        // quarter is produced only once the first worker has stopped, so it stops mid-stream however fast it is.
        var first = await WorkerRunner.StartAsync(kafka, topics, "--Pipeline:ChannelCapacity=16");
        var firstStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var production = Task.Run(async () =>
        {
            using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true, LingerMs = 2 }).Build();
            for (var i = 0; i < messages.Count; i++)
            {
                if (i == messages.Count * 3 / 4)
                {
                    await firstStopped.Task;
                }

                producer.Produce(topics.Instance, new Message<string, string> { Key = messages[i].Key, Value = messages[i].Value });
                if (i % 200 == 199)
                {
                    await Task.Delay(20); // pacing, not synchronisation
                }
            }

            producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        });

        await Wait.UntilAsync(() => first.Observer.Done.Count >= ids.Count / 10, TimeSpan.FromSeconds(60), "part of the stream processed");
        await first.DisposeAsync();
        firstStopped.SetResult();
        await production;
        var processedBefore = first.Observer.Done;
        processedBefore.Count.ShouldBeLessThan(ids.Count, "the worker should have been stopped mid-stream");

        // Everything below the committed offsets was processed by the first worker.
        var committed = Committed(topics);
        var byPosition = processedBefore.Values.GroupBy(p => p.Partition.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Offset.Value).ToHashSet());
        foreach (var (partition, offset) in committed)
        {
            for (var o = 0L; o < offset; o++)
            {
                byPosition.GetValueOrDefault(partition)?.Contains(o).ShouldBe(true, $"offset {o} of partition {partition} was committed but not processed");
            }
        }

        await using var second = await WorkerRunner.StartAsync(kafka, topics);
        await Wait.UntilAsync(() => processedBefore.Keys.Union(second.Observer.Done.Keys).Count() == ids.Count, TimeSpan.FromSeconds(60), "the rest consumed after restart");

        var all = processedBefore.Keys.Union(second.Observer.Done.Keys).ToHashSet();
        all.SetEquals(ids).ShouldBeTrue();

        // The second worker started exactly at the committed offsets.
        foreach (var (partition, offset) in committed)
        {
            var seen = second.Observer.Done.Values.Where(p => p.Partition.Value == partition).Select(p => p.Offset.Value).ToList();
            if (seen.Count > 0)
            {
                seen.Min().ShouldBe(offset);
            }
        }
    }

    private Dictionary<int, long> Committed(TestTopics topics)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = topics.GroupId }).Build();
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartition(topics.Instance, p)).ToList();
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(p => p.Partition.Value, p => Math.Max(0, p.Offset.Value));
    }
}

using System.CommandLine;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.EmbeddedKafka;

namespace UsageSentinel.Cli.Commands;

/// <summary><c>usage-sentinel broker</c>: the embedded Kafka (librdkafka's mock cluster) for development and tests.</summary>
internal static class BrokerCommand
{
    public static Command Create()
    {
        var partitions = new Option<int>("--partitions") { Description = "Partitions of each input topic.", DefaultValueFactory = _ => 6 };
        var brokers = new Option<int>("--brokers") { Description = "Brokers in the mock cluster.", DefaultValueFactory = _ => 1 };
        var command = new Command("broker", "Start an embedded Kafka (real wire protocol on loopback), create the default topics, print the bootstrap servers and run until stopped.")
        {
            partitions,
            brokers,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var cluster = MockKafkaCluster.Start(parse.GetValue(brokers));
            CreateDefaultTopics(cluster, parse.GetValue(partitions));
            Console.Out.WriteLine(cluster.BootstrapServers);
            Console.Out.Flush();
            await Console.Error.WriteLineAsync($"usage-sentinel broker: embedded Kafka at {cluster.BootstrapServers}; topics {string.Join(", ", DefaultTopics.Inputs)}, {DefaultTopics.Anomalies}, {DefaultTopics.DeadLetter}. Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static void CreateDefaultTopics(MockKafkaCluster cluster, int partitions)
    {
        foreach (var topic in DefaultTopics.Inputs)
        {
            cluster.CreateTopic(topic, partitions);
        }

        cluster.CreateTopic(DefaultTopics.Anomalies, Math.Max(1, partitions / 2));
        cluster.CreateTopic(DefaultTopics.DeadLetter, 1);

        // The mock cluster does not create topics through the admin API, so the worker's state topic is made here,
        // with one partition per input partition as the worker requires.
        cluster.CreateTopic(DefaultTopics.State, partitions);
        cluster.CreateTopic(DefaultTopics.Links, partitions);
        cluster.CreateTopic(DefaultTopics.Population, partitions);
    }
}

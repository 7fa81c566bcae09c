using System.CommandLine;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Kafka.Configuration;
using UsageSentinel.Simulation;

namespace UsageSentinel.Cli.Commands;

/// <summary><c>usage-sentinel simulate</c>: a seeded population of contract events, to a file or to any Kafka.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed gives the same events.", DefaultValueFactory = _ => 42 };
        var accounts = new Option<int>("--accounts") { Description = "Benign accounts (abusive scenarios come on top).", DefaultValueFactory = _ => 200 };
        var days = new Option<int>("--days") { Description = "Days of event time.", DefaultValueFactory = _ => 30 };
        var output = new Option<FileInfo?>("--output") { Description = "Write the events to this NDJSON file instead of Kafka." };
        var labels = new Option<FileInfo?>("--labels") { Description = "Write the scenario labels (NDJSON) to this file." };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka to produce to (default: Kafka:BootstrapServers of the configuration)." };
        var rate = new Option<double>("--rate") { Description = "Events per second when producing to Kafka; 0 is as fast as possible.", DefaultValueFactory = _ => 0 };
        var command = new Command("simulate", "Generate a seeded population (benign profiles and labelled abusive scenarios) as contract events, to an NDJSON file or to Kafka topics.")
        {
            seed,
            accounts,
            days,
            output,
            labels,
            bootstrap,
            rate,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) =>
        {
            SimulationOptions options;
            try
            {
                options = new SimulationOptions { Seed = parse.GetValue(seed), Accounts = parse.GetValue(accounts), Duration = TimeSpan.FromDays(parse.GetValue(days)) };
                options.Validate();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                Console.Error.WriteLine($"usage-sentinel simulate: {ex.Message}");
                return Task.FromResult(ExitCodes.Input);
            }

            var simulator = new PopulationSimulator(options);
            if (parse.GetValue(labels) is { } labelFile)
            {
                using var labelStream = File.Create(labelFile.FullName);
                LabelWriter.Write(labelStream, simulator.Labels);
            }

            if (parse.GetValue(output) is { } file)
            {
                using var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                EventFileWriter.WriteNdjson(stream, simulator.Generate());
                Console.Error.WriteLine($"simulate: wrote {file.FullName} ({simulator.Labels.Count:N0} accounts)");
                return Task.FromResult(ExitCodes.Ok);
            }

            var configuration = SentinelConfiguration.Build(parse.UnmatchedTokens);
            var kafka = new KafkaOptions();
            configuration.GetSection(KafkaOptions.SectionName).Bind(kafka);
            kafka.BootstrapServers = parse.GetValue(bootstrap) ?? kafka.BootstrapServers;
            if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
            {
                Console.Error.WriteLine("usage-sentinel simulate: give --output, or --bootstrap-servers / Kafka:BootstrapServers.");
                return Task.FromResult(ExitCodes.Configuration);
            }

            var produced = Produce(kafka, simulator.Generate(), parse.GetValue(rate), cancellationToken);
            Console.Error.WriteLine($"simulate: produced {produced:N0} events to {kafka.BootstrapServers}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static long Produce(KafkaOptions kafka, IEnumerable<SimulatedEvent> events, double rate, CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(kafka)).Build();
        var clock = TimeProvider.System;
        var start = clock.GetTimestamp();
        long count = 0;
        foreach (var e in events)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            while (true)
            {
                try
                {
                    producer.Produce(e.Topic, new Message<string, byte[]> { Key = e.AccountId, Value = e.Utf8Json });
                    break;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }

            count++;
            if (rate > 0)
            {
                var ahead = TimeSpan.FromSeconds(count / rate) - clock.GetElapsedTime(start);
                if (ahead > TimeSpan.FromMilliseconds(10))
                {
                    cancellationToken.WaitHandle.WaitOne(ahead);
                }
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        return count;
    }
}

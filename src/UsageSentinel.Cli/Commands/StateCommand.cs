using System.CommandLine;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Core.State;
using UsageSentinel.Kafka.Configuration;
using UsageSentinel.Worker.Catalog;
using UsageSentinel.Worker.State;

namespace UsageSentinel.Cli.Commands;

/// <summary>
/// <c>usage-sentinel state inspect --account ID</c>: reads the state topic the way a worker restores it (account records
/// up to each partition's last checkpoint) and prints the account's state in a readable form. Same settings as
/// <c>run</c> (Kafka connection, <c>State:Topic</c>, detection and catalog options).
/// </summary>
internal static class StateCommand
{
    public static Command Create()
    {
        var account = new Option<string>("--account") { Description = "The account id.", Required = true };
        var partition = new Option<int?>("--partition") { Description = "Only this partition of the state topic (faster); all by default." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long reading one partition may take.", DefaultValueFactory = _ => TimeSpan.FromMinutes(2) };
        var inspect = new Command("inspect", "Print an account's state as a worker would restore it from the state topic. Settings as for run.")
        {
            account,
            partition,
            timeout,
        };
        inspect.TreatUnmatchedTokensAsErrors = false;
        inspect.SetAction((parse, cancellationToken) =>
        {
            var configuration = SentinelConfiguration.Build(parse.UnmatchedTokens);
            if (!ReplayCommand.TryBindDetection(configuration, out var detection, out var catalogOptions, out _, Console.Error))
            {
                return Task.FromResult(ExitCodes.Configuration);
            }

            var kafka = new KafkaOptions();
            configuration.GetSection(KafkaOptions.SectionName).Bind(kafka);
            var state = new StateOptions();
            configuration.GetSection(StateOptions.SectionName).Bind(state);
            var id = parse.GetValue(account)!;
            try
            {
                var catalog = CatalogBuilder.Build(catalogOptions);
                using var reader = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Reader(kafka, "usage-sentinel-inspect")).SetLogHandler((_, _) => { }).Build();
                using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(kafka)).SetLogHandler((_, _) => { }).Build();
                var topic = admin.GetMetadata(state.Topic, TimeSpan.FromSeconds(10)).Topics.Single();
                if (topic.Error.IsError || topic.Partitions.Count == 0)
                {
                    Console.Error.WriteLine($"usage-sentinel state: the state topic {state.Topic} (State:Topic) does not exist: {topic.Error.Reason}");
                    return Task.FromResult(ExitCodes.Input);
                }

                var partitions = parse.GetValue(partition) is { } only ? [only] : topic.Partitions.Select(p => p.PartitionId).Order().ToList();
                foreach (var p in partitions)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var restored = ChangelogRestorer.Read(reader, new TopicPartition(state.Topic, p), parse.GetValue(timeout), id);
                    if (restored.Accounts.TryGetValue(id, out var bytes))
                    {
                        Console.Out.WriteLine($"# {id} in {state.Topic} [{p}], as of its last checkpoint");
                        Console.Out.Write(AccountStateText.Describe(bytes, catalog, detection));
                        return Task.FromResult(ExitCodes.Ok);
                    }
                }

                Console.Error.WriteLine($"usage-sentinel state: no state for account {id} in {state.Topic} ({partitions.Count} partitions read).");
                return Task.FromResult(ExitCodes.Input);
            }
            catch (KafkaException ex)
            {
                Console.Error.WriteLine($"usage-sentinel state: Kafka: {ex.Error.Reason}");
                return Task.FromResult(ExitCodes.Input);
            }
            catch (InvalidDataException ex)
            {
                Console.Error.WriteLine($"usage-sentinel state: the state of {id} is corrupt: {ex.Message}");
                return Task.FromResult(ExitCodes.Input);
            }
        });
        return new Command("state", "Work with the durable per-account state.") { inspect };
    }
}

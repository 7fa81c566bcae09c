using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Spectre.Console;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.EmbeddedKafka;
using UsageSentinel.Kafka.Anomalies;
using UsageSentinel.Simulation;
using UsageSentinel.Worker.Pipeline;

namespace UsageSentinel.Cli.Commands;

/// <summary>
/// <c>usage-sentinel demo</c>: the embedded Kafka, the simulator producing a population at accelerated event time,
/// the worker, a live view of the anomalies read back from the anomaly topic, and a summary.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<TimeSpan>("--duration") { Description = "How long the demo runs (wall clock).", DefaultValueFactory = _ => TimeSpan.FromSeconds(60) };
        var seed = new Option<int>("--seed") { Description = "Simulator seed.", DefaultValueFactory = _ => 42 };
        var accounts = new Option<int>("--accounts") { Description = "Benign accounts simulated (abusive scenarios come on top).", DefaultValueFactory = _ => 150 };
        var days = new Option<int>("--days") { Description = "Days of event time simulated.", DefaultValueFactory = _ => 30 };
        var plain = new Option<bool>("--plain") { Description = "Print anomalies line by line instead of the live table (also used when the terminal is not interactive)." };
        var command = new Command("demo", "Embedded Kafka + simulator at accelerated event time + the worker, with a live view of anomalies and a summary. Exits 0 after --duration.")
        {
            duration,
            seed,
            accounts,
            days,
            plain,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new DemoSettings(parse.GetValue(duration), parse.GetValue(seed), parse.GetValue(accounts), parse.GetValue(days),
                parse.GetValue(plain) || !AnsiConsole.Profile.Capabilities.Interactive, parse.UnmatchedTokens);
            if (settings.Duration < TimeSpan.FromSeconds(5) || settings.Accounts < 1 || settings.Days < 1)
            {
                await Console.Error.WriteLineAsync("usage-sentinel demo: --duration must be at least 5 s, --accounts and --days at least 1.");
                return ExitCodes.Input;
            }

            return await RunAsync(settings, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(DemoSettings settings, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var simulation = new SimulationOptions
        {
            Seed = settings.Seed,
            Accounts = settings.Accounts,
            Duration = TimeSpan.FromDays(settings.Days),
        };
        var simulator = new PopulationSimulator(simulation);
        var events = simulator.Generate().ToList();
        var labels = simulator.Labels;

        using var cluster = MockKafkaCluster.Start();
        BrokerCommand.CreateDefaultTopics(cluster, 6);
        var logPath = Path.Combine(Path.GetTempPath(), $"usage-sentinel-demo-{Environment.ProcessId}.log");
        await using var logger = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext()
            .WriteTo.File(new Serilog.Formatting.Compact.CompactJsonFormatter(), logPath).CreateLogger();
        string[] overrides =
        [
            $"--Kafka:BootstrapServers={cluster.BootstrapServers}",
            "--Kafka:GroupId=usage-sentinel-demo",
            "--Kafka:SessionTimeout=00:00:06",
            "--Pipeline:StatusInterval=00:00:05",
            // The demo runs beside whatever else listens on this machine; pass --Health:Enabled=true to probe it.
            "--Health:Enabled=false",
            .. settings.Overrides,
        ];
        using var host = WorkerHostFactory.Create(overrides, logger);
        await host.StartAsync(cancellationToken);
        var pipeline = host.Services.GetRequiredService<KafkaPipelineService>();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var anomalies = new ConcurrentQueue<AnomalyRecord>();
        var reader = Task.Run(() => ReadAnomalies(cluster.BootstrapServers, anomalies, stop.Token), CancellationToken.None);
        var progress = new ProduceProgress();
        var producing = Task.Run(() => Produce(cluster.BootstrapServers, events, settings.Duration * 0.75, progress, stop.Token), CancellationToken.None);

        var view = new DemoView(events.Count, settings, cluster.BootstrapServers, simulator.Start);
        var deadline = started + (long)(settings.Duration.TotalSeconds * TimeProvider.System.TimestampFrequency);
        if (settings.Plain)
        {
            await view.RunPlainAsync(anomalies, progress, pipeline, deadline, stop.Token);
        }
        else
        {
            await view.RunLiveAsync(anomalies, progress, pipeline, deadline, stop.Token);
        }

        await stop.CancelAsync();
        await producing;
        await host.StopAsync(CancellationToken.None);
        await reader;
        view.PrintSummary(labels, pipeline, progress, logPath);
        return ExitCodes.Ok;
    }

    private static void Produce(string bootstrap, List<SimulatedEvent> events, TimeSpan over, ProduceProgress progress, CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 5 }).Build();

        // A few poisoned messages, to show that bad input is dead-lettered and the worker carries on.
        producer.Produce(SimulationTopics.InstanceEvents, new Message<string, byte[]> { Key = "acct-poison", Value = "{\"event_id\":\"poison-1\""u8.ToArray() });
        producer.Produce(SimulationTopics.InstanceEvents, new Message<string, byte[]> { Key = "acct-poison", Value = "{\"event_id\":\"poison-2\",\"event_type\":\"instance.launched\",\"occurred_at\":\"yesterday\",\"account_id\":\"acct-poison\"}"u8.ToArray() });
        var clock = TimeProvider.System;
        var start = clock.GetTimestamp();
        for (var i = 0; i < events.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            var e = events[i];
            producer.Produce(e.Topic, new Message<string, byte[]> { Key = e.AccountId, Value = e.Utf8Json });
            progress.Produced = i + 1;
            progress.EventTime = e.OccurredAt;
            var due = over * ((i + 1) / (double)events.Count);
            var ahead = due - clock.GetElapsedTime(start);
            if (ahead > TimeSpan.FromMilliseconds(20))
            {
                cancellationToken.WaitHandle.WaitOne(ahead); // pacing the simulated stream, not synchronisation
            }
        }

        producer.Flush(TimeSpan.FromSeconds(10));
    }

    private static void ReadAnomalies(string bootstrap, ConcurrentQueue<AnomalyRecord> anomalies, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "usage-sentinel-demo-view",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(DefaultTopics.Anomalies);
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is not null)
            {
                anomalies.Enqueue(AnomalyRecord.Parse(result.Message.Value));
            }
        }

        // Drain what the worker published before it stopped.
        for (var result = consumer.Consume(TimeSpan.FromMilliseconds(500)); result is not null; result = consumer.Consume(TimeSpan.FromMilliseconds(500)))
        {
            anomalies.Enqueue(AnomalyRecord.Parse(result.Message.Value));
        }

        consumer.Close();
    }

    internal static string Short(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    internal static string Format(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

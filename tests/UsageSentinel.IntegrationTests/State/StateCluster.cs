using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.Simulation;
using UsageSentinel.Worker.State;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>
/// Input topics with a simulated population in them, and per run of workers its own group, state topic and anomaly
/// topic, so several runs over the same input can be compared.
/// </summary>
public sealed class StateCluster(KafkaFixture kafka, int partitions)
{
    private int _runs;

    public KafkaFixture Kafka => kafka;

    public TestTopics Input { get; } = kafka.NewTopics(partitions);

    public int Partitions => partitions;

    /// <summary>Produces the events, keyed by account, to the input topics.</summary>
    public void Produce(IEnumerable<SimulatedEvent> events) => SimulatedInput.Produce(kafka, Input, events);

    /// <summary>A fresh group with its own state and anomaly topics.</summary>
    public WorkerRun NewRun()
    {
        var n = Interlocked.Increment(ref _runs);
        var run = new WorkerRun($"{Input.GroupId}-run{n}", $"{Input.State}-run{n}", $"{Input.Anomalies}-run{n}", $"{Input.DeadLetter}-run{n}", $"{Input.Links}-run{n}", $"{Input.Population}-run{n}");
        kafka.Cluster.CreateTopic(run.StateTopic, partitions);
        kafka.Cluster.CreateTopic(run.LinksTopic, partitions);
        kafka.Cluster.CreateTopic(run.PopulationTopic, partitions);
        kafka.Cluster.CreateTopic(run.AnomalyTopic, 1);
        kafka.Cluster.CreateTopic(run.DeadLetterTopic, 1);
        return run;
    }

    public string[] Settings(WorkerRun run, params string[] extra) =>
    [
        $"--Kafka:BootstrapServers={kafka.BootstrapServers}",
        $"--Kafka:GroupId={run.GroupId}",
        $"--Kafka:InputTopics:0={Input.Instance}",
        $"--Kafka:InputTopics:1={Input.Billing}",
        $"--Kafka:InputTopics:2={Input.Profiles}",
        $"--Kafka:AnomalyTopic={run.AnomalyTopic}",
        $"--Kafka:DeadLetterTopic={run.DeadLetterTopic}",
        "--Kafka:SessionTimeout=00:00:06",
        $"--State:Topic={run.StateTopic}",
        $"--State:LinksTopic={run.LinksTopic}",
        $"--State:PopulationTopic={run.PopulationTopic}",
        "--State:CheckpointInterval=00:00:00.300",
        "--Pipeline:Shards=2",
        "--Health:Enabled=false",
        "--Serilog:MinimumLevel:Default=Warning",
        .. extra,
    ];

    /// <summary>The end offset of every input partition.</summary>
    public Dictionary<TopicPartition, long> EndOffsets()
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "end-offsets" }).Build();
        return Input.Inputs
            .SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartition(t, p)))
            .ToDictionary(tp => tp, tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>The input offsets the run's group committed (its checkpoints' restart offsets); 0 where none.</summary>
    public Dictionary<TopicPartition, long> Committed(WorkerRun run)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = run.GroupId }).Build();
        var partitionsOf = Input.Inputs.SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartition(t, p))).ToList();
        return consumer.Committed(partitionsOf, TimeSpan.FromSeconds(10)).ToDictionary(p => p.TopicPartition, p => Math.Max(0, p.Offset.Value));
    }

    /// <summary>The share of the input the run's checkpoints cover.</summary>
    public double Progress(WorkerRun run, IReadOnlyDictionary<TopicPartition, long> end)
    {
        var committed = Committed(run);
        return (double)committed.Sum(c => c.Value) / Math.Max(1, end.Sum(e => e.Value));
    }

    /// <summary>Every account's state as of the run's last checkpoints.</summary>
    public Dictionary<string, byte[]> RestoreAll(WorkerRun run) => RestoreAll(run, out _);

    /// <summary>Every account's state as of the run's last checkpoints, and the partition each is in.</summary>
    public Dictionary<string, byte[]> RestoreAll(WorkerRun run, out Dictionary<string, int> partitionOf)
    {
        partitionOf = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "restore-reader", EnableAutoCommit = false }).Build();
        var accounts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var p = 0; p < partitions; p++)
        {
            var restored = ChangelogRestorer.Read(reader, new TopicPartition(run.StateTopic, p), TimeSpan.FromSeconds(60));
            foreach (var (account, state) in restored.Accounts)
            {
                accounts.Add(account, state);
                partitionOf[account] = p;
            }
        }

        return accounts;
    }

    /// <summary>
    /// The run's anomalies, de-duplicated on <c>anomaly_id</c> (the whole JSON of each, the last publication). An id
    /// published twice must be the same bytes, except for the two kinds the README says are not reproducible.
    /// </summary>
    public Dictionary<string, string> Anomalies(WorkerRun run)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        var tp = new TopicPartition(run.AnomalyTopic, 0);
        var high = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
        consumer.Assign(new TopicPartitionOffset(tp, 0));
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var next = 0L; next < high && DateTime.UtcNow < deadline;)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                next = result.Offset.Value + 1;
                var json = Encoding.UTF8.GetString(result.Message.Value);
                using var document = JsonDocument.Parse(json);
                var id = document.RootElement.GetProperty("anomaly_id").GetString()!;
                if (byId.TryGetValue(id, out var seen) && seen != json)
                {
                    // Raised again after a crash or a move: per-account anomalies are the same bytes. A linked group
                    // is judged on figures that arrive from other partitions when they arrive, so a second raise of
                    // the same finding (same id) may carry other figures — but it is the same detector and incident.
                    using var first = JsonDocument.Parse(seen);
                    var detector = first.RootElement.GetProperty("detector").GetString();
                    if (detector is DetectorNames.LinkedAccounts or DetectorNames.PopulationOutlier)
                    {
                        document.RootElement.GetProperty("detector").GetString().ShouldBe(detector, $"anomaly {id} was published twice as different detectors");
                        document.RootElement.GetProperty("dedup_key").GetString().ShouldBe(first.RootElement.GetProperty("dedup_key").GetString(), $"anomaly {id} was published twice for different incidents");
                    }
                    else
                    {
                        json.ShouldBe(seen, $"anomaly {id} was published twice with different contents");
                    }
                }

                byId[id] = json;
            }
        }

        return byId;
    }
}

public sealed record WorkerRun(string GroupId, string StateTopic, string AnomalyTopic, string DeadLetterTopic, string LinksTopic, string PopulationTopic);

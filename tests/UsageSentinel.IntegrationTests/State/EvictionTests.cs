using Confluent.Kafka;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.Simulation;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>
/// Issue 5, test (d) in the worker: with a small account cap, cold accounts are evicted to the state topic, only
/// their offsets stay in memory, and they are read back on their next event — the final state of every account and
/// the anomalies equal an uncapped worker's.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class EvictionTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Worker_CappedAccounts_EvictsToStateTopicAndReadsBack_SameResultsAsUncapped()
    {
        var cluster = new StateCluster(kafka, partitions: 2);
        var events = new PopulationSimulator(new SimulationOptions { Seed = 41, Accounts = 120, Duration = TimeSpan.FromDays(6) }).Generate().ToList();
        cluster.Produce(events);
        var end = cluster.EndOffsets();

        var uncapped = cluster.NewRun();
        await using (var worker = await WorkerRunner.StartAsync(kafka, TopicsOf(uncapped), CrashRecoveryTests.Deterministic))
        {
            await WaitForAllAsync(cluster, uncapped, end);
        }

        var capped = cluster.NewRun();
        long evicted, reads;
        await using (var worker = await WorkerRunner.StartAsync(kafka, TopicsOf(capped), [.. CrashRecoveryTests.Deterministic, "--Detection:MaxTrackedAccounts=20"]))
        {
            await WaitForAllAsync(cluster, capped, end);
            evicted = worker.Pipeline.Processed > 0 ? Evicted(worker) : 0;
            reads = worker.Pipeline.EvictedStateReads;
        }

        evicted.ShouldBeGreaterThan(0, "the cap must bite");
        reads.ShouldBeGreaterThan(0, "evicted accounts come back from the state topic");
        CrashRecoveryTests.CompareStates(cluster.RestoreAll(uncapped), cluster.RestoreAll(capped));
        CrashRecoveryTests.CompareAnomalies(cluster.Anomalies(uncapped), cluster.Anomalies(capped));

        TestTopics TopicsOf(WorkerRun run) => cluster.Input with
        {
            GroupId = run.GroupId,
            State = run.StateTopic,
            Links = run.LinksTopic,
            Population = run.PopulationTopic,
            Anomalies = run.AnomalyTopic,
            DeadLetter = run.DeadLetterTopic,
        };
    }

    private static long Evicted(WorkerRunner worker) =>
        worker.Services.GetService(typeof(Worker.Pipeline.KafkaPipelineService)) is Worker.Pipeline.KafkaPipelineService pipeline ? pipeline.EvictedAccounts : 0;

    private static Task WaitForAllAsync(StateCluster cluster, WorkerRun run, Dictionary<TopicPartition, long> end) =>
        Wait.UntilAsync(() => cluster.Committed(run).All(c => c.Value >= end[c.Key]), TimeSpan.FromSeconds(180), "the whole input checkpointed");
}

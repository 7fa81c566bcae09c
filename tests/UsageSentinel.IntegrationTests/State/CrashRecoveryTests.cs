using System.Text.Json;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.Simulation;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>
/// Issue 5, test (a): a worker process killed with SIGKILL mid-stream and started again ends with every account's
/// state byte-identical to a worker that ran through — no GPU-hour lost or counted twice, no event applied out of
/// order — and raises the same per-account anomalies. The population model is off: it trains in the background on the wall clock's schedule, so its
/// findings are not reproducible run to run by design. Linked-account groups are compared by the accounts they flag.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class CrashRecoveryTests(KafkaFixture kafka)
{
    internal static readonly string[] Deterministic =
    [
        "--Detection:PopulationOutlier:Enabled=false",
        "--Detection:AllowedLateness=00:00:00",
    ];

    [Fact]
    public async Task Worker_KilledMidStreamAndRestarted_SameStateAndAnomaliesAsUninterruptedRun()
    {
        var cluster = new StateCluster(kafka, partitions: 4);
        var events = new PopulationSimulator(new SimulationOptions { Seed = 23, Accounts = 160, Duration = TimeSpan.FromDays(10) }).Generate().ToList();

        // The later part of the stream is produced only after the kill, so the worker dies mid-stream however fast it is.
        var (early, late) = SplitInTime(events, 0.6);
        cluster.Produce(early);
        var earlyEnd = cluster.EndOffsets();
        var crashed = cluster.NewRun();
        using (var first = WorkerProcess.Start("killed", cluster.Settings(crashed, Deterministic)))
        {
            await Wait.UntilAsync(() => cluster.Progress(crashed, earlyEnd) >= 0.3 || first.HasExited, TimeSpan.FromSeconds(120), "part of the input checkpointed");
            first.HasExited.ShouldBeFalse(first.Output);
            first.KillHard();
        }

        cluster.Produce(late);
        var end = cluster.EndOffsets();
        using (var second = WorkerProcess.Start("restarted", cluster.Settings(crashed, Deterministic)))
        {
            await WaitForAllAsync(cluster, crashed, end, second);
        }

        var uninterrupted = cluster.NewRun();
        using (var worker = WorkerProcess.Start("uninterrupted", cluster.Settings(uninterrupted, Deterministic)))
        {
            await WaitForAllAsync(cluster, uninterrupted, end, worker);
        }

        CompareStates(cluster.RestoreAll(uninterrupted), cluster.RestoreAll(crashed));

        var expectedAnomalies = cluster.Anomalies(uninterrupted);
        var actualAnomalies = cluster.Anomalies(crashed);
        expectedAnomalies.ShouldNotBeEmpty();
        CompareAnomalies(expectedAnomalies, actualAnomalies);
    }

    /// <summary>
    /// Per-account anomalies (every detector but <c>linked_accounts</c>): the same ids and the same bytes. Linked-account groups: the same groups found. A group is
    /// judged on its members' figures as the partitions holding them have them, which depends on how far each partition
    /// got, so which members it had when it was raised (and so its id and wording) may differ between runs.
    /// </summary>
    internal static void CompareAnomalies(Dictionary<string, string> expected, Dictionary<string, string> actual)
    {
        static List<HashSet<string>> Groups(Dictionary<string, string> all) => [.. all.Values.Where(IsLinkedGroup)
            .Select(json =>
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                return root.GetProperty("linked_account_ids").EnumerateArray().Select(e => e.GetString()!).Append(root.GetProperty("account_id").GetString()!).ToHashSet(StringComparer.Ordinal);
            })];
        static List<string> PerAccount(Dictionary<string, string> all) => [.. all.Values.Where(json => !IsLinkedGroup(json)).Order(StringComparer.Ordinal)];
        var perAccount = PerAccount(expected);
        perAccount.ShouldContain(json => json.Contains("\"detector\":\"training_scale\"", StringComparison.Ordinal));
        perAccount.ShouldContain(json => json.Contains("\"detector\":\"resale_proxy\"", StringComparison.Ordinal));
        PerAccount(actual).ShouldBe(perAccount, "every per-account anomaly is identical, byte for byte");
        var expectedGroups = Groups(expected);
        var actualGroups = Groups(actual);
        expectedGroups.Where(g => !actualGroups.Any(a => a.Overlaps(g))).Select(g => string.Join("+", g.Order())).ShouldBeEmpty("every linked group found by one run is found by the other");
        actualGroups.Where(g => !expectedGroups.Any(e => e.Overlaps(g))).Select(g => string.Join("+", g.Order())).ShouldBeEmpty("every linked group found by one run is found by the other");
    }

    /// <summary>
    /// Every account's complete state, compared as <c>state inspect</c> shows it (compute, runs, incidents, behaviour
    /// sketches, baselines, applied input offsets): a lost, doubled or reordered event changes it.
    /// </summary>
    internal static void CompareStates(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        var options = new UsageSentinel.Core.Engine.DetectionOptions();
        string Render(byte[] state) => UsageSentinel.Core.State.AccountStateText.Describe(state, UsageSentinel.Core.Catalog.GpuCatalog.Default, options);

        expected.Count.ShouldBeGreaterThan(100);
        actual.Keys.Order(StringComparer.Ordinal).ShouldBe(expected.Keys.Order(StringComparer.Ordinal), "no account lost");
        var differing = expected.Where(kv => !kv.Value.AsSpan().SequenceEqual(actual[kv.Key])).ToList();
        differing.Select(kv => $"{Render(kv.Value)}{Environment.NewLine}  vs{Environment.NewLine}{Render(actual[kv.Key])}").Take(1).ToList()
            .ShouldBeEmpty($"{differing.Count} of {expected.Count} accounts differ from the uninterrupted run's; every account's state must be byte-identical");
    }

    /// <summary>
    /// Splits events (in time order) where <paramref name="fraction"/> of their time span has passed: every event of the
    /// second part is at or after every event of the first, so producing it later makes no event late.
    /// </summary>
    internal static (List<SimulatedEvent> Early, List<SimulatedEvent> Late) SplitInTime(List<SimulatedEvent> events, double fraction)
    {
        var first = events[0].OccurredAt;
        var cut = first + ((events[^1].OccurredAt - first) * fraction);
        var at = events.FindIndex(e => e.OccurredAt >= cut);
        return (events[..at], events[at..]);
    }

    /// <summary>Gets whether an anomaly is a linked-account group's.</summary>
    internal static bool IsLinkedGroup(string json) => json.Contains("\"detector\":\"linked_accounts\"", StringComparison.Ordinal);

    /// <summary>Waits until the run's checkpoints cover every input message: all of it applied and durable.</summary>
    internal static async Task WaitForAllAsync(StateCluster cluster, WorkerRun run, IReadOnlyDictionary<Confluent.Kafka.TopicPartition, long> end, params WorkerProcess[] workers)
    {
        await Wait.UntilAsync(
            () => workers.Any(w => w.HasExited) || cluster.Committed(run).All(c => c.Value >= end[c.Key]),
            TimeSpan.FromSeconds(180),
            "the whole input checkpointed");
        foreach (var worker in workers)
        {
            worker.HasExited.ShouldBeFalse($"{worker.Name} exited early:{Environment.NewLine}{worker.Output}");
        }
    }
}

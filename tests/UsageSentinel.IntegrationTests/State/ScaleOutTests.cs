using System.Text.Json;
using Confluent.Kafka;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.Simulation;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>Issue 5, tests (b) and (c): several worker processes in one group.</summary>
[Collection(KafkaCollection.Name)]
public sealed class ScaleOutTests(KafkaFixture kafka)
{
    /// <summary>
    /// Three workers share the partitions; one is killed with SIGKILL mid-stream (its partitions move after the session
    /// timeout) and a fourth joins right after, both before the rest of the stream is produced: the final state of every
    /// account and the anomalies equal a single worker's.
    /// </summary>
    [Fact]
    public async Task ThreeWorkers_OneKilledOneAdded_SameStateAndAnomaliesAsOneWorker()
    {
        var cluster = new StateCluster(kafka, partitions: 6);
        var events = new PopulationSimulator(new SimulationOptions { Seed = 31, Accounts = 160, Duration = TimeSpan.FromDays(10) }).Generate().ToList();

        // The later part of the stream is produced only after the kill and the join, so both happen mid-stream
        // however fast the workers are.
        var (early, late) = CrashRecoveryTests.SplitInTime(events, 0.6);
        cluster.Produce(early);
        var earlyEnd = cluster.EndOffsets();
        var group = cluster.NewRun();
        var settings = cluster.Settings(group, [.. CrashRecoveryTests.Deterministic, "--Pipeline:ChannelCapacity=64"]);
        using var a = WorkerProcess.Start("a", settings);
        using var b = WorkerProcess.Start("b", settings);
        using var c = WorkerProcess.Start("c", settings);
        await Wait.UntilAsync(() => cluster.Progress(group, earlyEnd) >= 0.3 || a.HasExited || b.HasExited || c.HasExited, TimeSpan.FromSeconds(120), "part of the input checkpointed");
        b.KillHard();
        using var d = WorkerProcess.Start("d", settings);
        cluster.Produce(late);
        var end = cluster.EndOffsets();
        await CrashRecoveryTests.WaitForAllAsync(cluster, group, end, a, c, d);

        var single = cluster.NewRun();
        using (var worker = WorkerProcess.Start("single", cluster.Settings(single, CrashRecoveryTests.Deterministic)))
        {
            await CrashRecoveryTests.WaitForAllAsync(cluster, single, end, worker);
        }

        CrashRecoveryTests.CompareStates(cluster.RestoreAll(single), cluster.RestoreAll(group));

        var expectedAnomalies = cluster.Anomalies(single);
        var actualAnomalies = cluster.Anomalies(group);
        expectedAnomalies.ShouldNotBeEmpty();
        CrashRecoveryTests.CompareAnomalies(expectedAnomalies, actualAnomalies);
    }

    /// <summary>
    /// Two accounts that share a payment fingerprint, on partitions owned by different workers, each train under 1e23
    /// FLOP and together over it: the group is found through the links topic and raised once.
    /// </summary>
    [Fact]
    public async Task LinkedGroup_MembersOnDifferentWorkers_IsDetected()
    {
        var cluster = new StateCluster(kafka, partitions: 2);
        var run = cluster.NewRun();
        int[] ports = [LocalServer.FreePort(), LocalServer.FreePort()];
        using var first = WorkerProcess.Start("first", cluster.Settings(run, [.. CrashRecoveryTests.Deterministic, "--Health:Enabled=true", "--Health:Address=127.0.0.1", $"--Health:Port={ports[0]}"]));
        using var second = WorkerProcess.Start("second", cluster.Settings(run, [.. CrashRecoveryTests.Deterministic, "--Health:Enabled=true", "--Health:Address=127.0.0.1", $"--Health:Port={ports[1]}"]));

        // Both ready with one partition each before any input exists, so the members are on different workers.
        await Wait.ForAsync(
            async () => await Task.WhenAll(ports.Select(ReadinessAsync)),
            owned => owned.Order(StringComparer.Ordinal).SequenceEqual(["0", "1"]),
            TimeSpan.FromSeconds(60));
        (await Task.WhenAll(ports.Select(ReadinessAsync))).Order(StringComparer.Ordinal).ToArray().ShouldBe(["0", "1"], $"each worker owns one partition:{Environment.NewLine}{first.Output}{Environment.NewLine}{second.Output}");

        // Each member alone: 256 x p5.48xlarge (2,048 H100) for 24 h ≈ 6.1e22 FLOP at 35 % — under 1e23; together over it.
        var start = Some.Epoch;
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build();
        var members = new[] { ("grp-a", 0), ("grp-b", 1) };
        foreach (var (account, partition) in members)
        {
            void Send(string topic, string json) => producer.Produce(new TopicPartition(topic, partition), new Message<string, string> { Key = account, Value = json });
            Send(cluster.Input.Billing, Payment($"{account}-pay", account, start, "fp-shared-card"));
            for (var i = 0; i < 256; i++)
            {
                Send(cluster.Input.Instance, ContractJson.Launch($"{account}-l{i}", account, start.AddMinutes(1).AddSeconds(i), $"{account}-i{i}", placementGroup: "pg"));
            }

            for (var h = 2; h <= 30; h++)
            {
                Send(cluster.Input.Instance, ContractJson.Access($"{account}-a{h}", account, start.AddHours(h)));
            }

            for (var i = 0; i < 256; i++)
            {
                Send(cluster.Input.Instance, ContractJson.Terminate($"{account}-t{i}", account, start.AddHours(25).AddSeconds(i), $"{account}-i{i}"));
            }

            Send(cluster.Input.Billing, ContractJson.Charge($"{account}-c", account, start.AddHours(30), 10m));
        }

        producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        var end = cluster.EndOffsets();
        await CrashRecoveryTests.WaitForAllAsync(cluster, run, end, first, second);

        // Figures of a member on the other worker arrive through the links topic after that worker applied them: the
        // group is judged again when they do, so the finding may come a moment after the input is checkpointed.
        var anomalies = await Wait.ForAsync(
            () => Task.FromResult(cluster.Anomalies(run).Values.Select(v => JsonDocument.Parse(v).RootElement).ToList()),
            found => found.Any(a => a.GetProperty("detector").GetString() == "linked_accounts"),
            TimeSpan.FromSeconds(30));
        var linked = anomalies.Where(a => a.GetProperty("detector").GetString() == "linked_accounts").ToList();
        linked.ShouldNotBeEmpty($"the group spans both workers; anomalies: {string.Join(", ", anomalies.Select(a => a.GetProperty("detector").GetString()))}{Environment.NewLine}{first.Output}{Environment.NewLine}{second.Output}");
        linked.Select(a => a.GetProperty("anomaly_id").GetString()).Distinct().Count().ShouldBe(linked.Count);
        linked[0].GetProperty("account_id").GetString().ShouldBe("grp-a");
        linked[0].GetProperty("linked_account_ids").EnumerateArray().Select(e => e.GetString()).ShouldBe(["grp-b"]);
        anomalies.Where(a => a.GetProperty("detector").GetString() == "training_scale" && a.GetProperty("status").GetString() != "resolved"
            && a.GetProperty("summary").GetString()!.Contains("crossed", StringComparison.Ordinal)).ShouldBeEmpty("neither member crosses alone");
    }

    /// <summary>The partitions a worker reports ready (restored), or what it answered instead.</summary>
    private static async Task<string> ReadinessAsync(int port)
    {
        try
        {
            var (_, body) = await Health.HealthHttp.GetAsync(port, "/health/ready");
            var description = body.GetProperty("checks").GetProperty("partitions").GetProperty("description").GetString()!;
            const string Prefix = "Partitions assigned and restored: ";
            return description.StartsWith(Prefix, StringComparison.Ordinal) ? description[Prefix.Length..].TrimEnd('.') : description;
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    private static string Payment(string eventId, string account, DateTimeOffset at, string fingerprint) =>
        $$$"""{"event_id":"{{{eventId}}}","event_type":"billing.payment","occurred_at":"{{{ContractJson.Time(at)}}}","account_id":"{{{account}}}","amount":100,"currency":"USD","payment_method":{"fingerprint":"{{{fingerprint}}}","kind":"card"}}""";
}

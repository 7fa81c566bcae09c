using System.Diagnostics;
using Confluent.Kafka;
using UsageSentinel.IntegrationTests.Kafka;
using UsageSentinel.TestKit;

namespace UsageSentinel.IntegrationTests.State;

/// <summary><c>usage-sentinel state inspect --account ID</c> against the state a worker wrote.</summary>
[Collection(KafkaCollection.Name)]
public sealed class StateInspectTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Inspect_AccountTheWorkerCheckpointed_PrintsItsRestoredState()
    {
        var topics = kafka.NewTopics(partitions: 2);
        await using (var worker = await WorkerRunner.StartAsync(kafka, topics))
        {
            using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
            var start = Some.Epoch;
            for (var i = 0; i < 4; i++)
            {
                producer.Produce(topics.Instance, new Message<string, string> { Key = "inspect-me", Value = ContractJson.Launch($"in-l{i}", "inspect-me", start.AddMinutes(i), $"in-i{i}") });
            }

            producer.Produce(topics.Instance, new Message<string, string> { Key = "inspect-me", Value = ContractJson.Terminate("in-t0", "inspect-me", start.AddHours(10), "in-i0") });
            producer.Produce(topics.Instance, new Message<string, string> { Key = "inspect-me", Value = ContractJson.Access("in-a0", "inspect-me", start.AddHours(11), "bob") });
            producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
            await Wait.UntilAsync(() => worker.Observer.Done.Count >= 6 && worker.Pipeline.Counters.Checkpoints > 0 && worker.Pipeline.Counters.StateRecords > 1, TimeSpan.FromSeconds(60), "the account checkpointed");
        }

        var (exit, stdout, stderr) = await RunAsync(
            "state", "inspect", "--account", "inspect-me",
            $"--Kafka:BootstrapServers={kafka.BootstrapServers}",
            $"--State:Topic={topics.State}");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("account: inspect-me");
        // Four p5.48xlarge (8 x H100 each) launched a minute apart, one stopped after 10 h, accrued to the 11:00 evaluation:
        // 8 x 10 h + 8 x (33 h - 6 min) = 343.2 GPU-hours.
        stdout.ShouldContain("accrued_until: 2026-03-01T11:00:00Z");
        stdout.ShouldContain("gpu_hours: 343.2");
        stdout.ShouldContain("gpu_hours.H100-SXM: 343.2");
        stdout.ShouldContain("running_gpus: 24");
        stdout.ShouldContain("open_instances: 3");
        stdout.ShouldContain("principals_seen: 1");

        var missing = await RunAsync("state", "inspect", "--account", "nobody", $"--Kafka:BootstrapServers={kafka.BootstrapServers}", $"--State:Topic={topics.State}");
        missing.ExitCode.ShouldNotBe(0);
        missing.Stderr.ShouldContain("no state for account nobody");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "usage-sentinel.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }
}

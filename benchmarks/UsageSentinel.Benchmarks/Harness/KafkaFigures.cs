using System.Diagnostics;
using Confluent.Kafka;
using HdrHistogram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.Detection.ML.Population;
using UsageSentinel.EmbeddedKafka;
using UsageSentinel.Kafka.Configuration;
using UsageSentinel.Simulation;
using UsageSentinel.Worker.Pipeline;

namespace UsageSentinel.Benchmarks.Harness;

/// <summary>
/// The figures through the embedded Kafka (<see cref="MockKafkaCluster"/>), all in one run and one cluster:
/// <list type="bullet">
/// <item><c>kafka_bare_events_per_s</c>: a bare Confluent.Kafka consume loop with the worker's consumer configuration
/// (offsets stored per message, auto commit), deserialising nothing, over a topic holding the simulated events.</item>
/// <item><c>kafka_worker_events_per_s</c>: the worker host (<see cref="WorkerHostFactory"/>), with a new group, over
/// the same topic, until every event is done; <c>kafka_ratio</c> is worker / bare. Both are timed from the first
/// message to the last, so joining the group is not counted.</item>
/// <item><c>latency_p99_ms</c>: a producer paced at half the worker's rate into a fresh topic; each event's latency runs
/// from the produce call to the worker's <see cref="IProcessingObserver.OnEventDone"/>, which comes after the event's
/// anomalies are acknowledged by the broker and before its offset is stored.</item>
/// <item><c>retrain_latency_p99_ms</c>: the same, while the population model trains on random 16-feature accounts
/// through <see cref="BackgroundPopulationTraining"/>; only events produced during the training count.</item>
/// </list>
/// </summary>
internal static class KafkaFigures
{
    private const string AnomalyTopic = "bench.anomalies";
    private const string DeadLetterTopic = "bench.dead-letter";

    /// <summary>The mock broker keeps about 5 MiB per partition; stay well under it.</summary>
    private const long BytesPerPartition = 2L << 20;

    /// <summary>
    /// Seconds of the paced rate each paced partition is sized for, at <see cref="BytesPerPartition"/>; the mock broker
    /// keeps ~2.5 times that before it drops what the worker has not read.
    /// </summary>
    private const int LagSeconds = 2;

    /// <summary>
    /// Seconds of a paced run not recorded: a fresh worker compiles its code (tiered JIT) and fills its caches under the
    /// load, and the figure is about the sustained rate.
    /// </summary>
    private const int WarmUpSeconds = 3;

    public static async Task RunAsync(HarnessScale scale, HarnessReport report)
    {
        HarnessReport.Progress($"kafka: generating {scale.KafkaEvents:N0} simulated events");
        var simulator = new PopulationSimulator(new SimulationOptions { Seed = 11, Accounts = Math.Max(1_000, scale.KafkaEvents / 40), Duration = TimeSpan.FromDays(20) });
        var events = simulator.Generate().Take(scale.KafkaEvents).ToArray();
        var bytes = events.Sum(e => (long)e.Utf8Json.Length + e.AccountId.Length);
        var partitions = (int)Math.Clamp((bytes / BytesPerPartition) + 1, 6, 1_000);
        var index = new Dictionary<string, int>(events.Length, StringComparer.Ordinal);
        for (var i = 0; i < events.Length; i++)
        {
            index[events[i].EventId] = i;
        }

        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic(AnomalyTopic, 4);
        cluster.CreateTopic(DeadLetterTopic, 1);

        // Throughput: one topic, produced before either consumer starts.
        const string throughputTopic = "bench.throughput";
        cluster.CreateTopic(throughputTopic, partitions);
        HarnessReport.Progress($"kafka: producing {events.Length:N0} events ({bytes / (1 << 20):N0} MiB) to {partitions} partitions");
        ProduceAll(cluster.BootstrapServers, throughputTopic, events);
        var available = Available(cluster.BootstrapServers, throughputTopic, partitions);
        if (available != events.Length)
        {
            HarnessReport.Progress($"kafka: the topic holds {available:N0} of the {events.Length:N0} events produced; both consumers read those");
        }

        var bare = BareConsume(cluster.BootstrapServers, throughputTopic, available);
        report.Print("kafka_bare_events_per_s", bare);
        var worker = await WorkerConsumeAsync(cluster, throughputTopic, available, "bench-worker");
        report.Print("kafka_worker_events_per_s", worker);
        report.Print("kafka_ratio", worker / bare, 2);

        // The same again with a second worker (new group, empty state) in this now warm process: the first spends its
        // first seconds at a third of its later rate while the tiered JIT compiles its hot code on the same two cores.
        // Information beside the target line, which stays the cold worker's.
        var warm = await WorkerConsumeAsync(cluster, throughputTopic, available, "bench-worker-warm");
        report.Print("kafka_warm_worker_events_per_s", warm);
        report.Print("kafka_warm_ratio", warm / bare, 2);

        // Latency at half the sustained rate, then the same during a retraining. A paced topic needs no room for a
        // backlog, only for a few seconds of lag (the mock broker drops a partition's oldest messages beyond ~5 MiB):
        // more partitions than that only make the mock broker slower, as it finds a fetch offset by walking the
        // partition's message sets, and a paced producer writes many small ones.
        var rate = worker / 2;
        var pacedPartitions = (int)Math.Clamp(Math.Ceiling(rate * (bytes / (double)events.Length) * LagSeconds / BytesPerPartition), 6, partitions);
        HarnessReport.Progress($"kafka: paced topics get {pacedPartitions} partitions ({LagSeconds} s of lag at the paced rate)");
        var latency = await PacedLatencyAsync(cluster, "bench.latency", pacedPartitions, events, index, rate, scale.LatencyDuration, retrainAccounts: 0);
        report.Print("latency_p99_ms", latency, 1);
        var retrain = await PacedLatencyAsync(cluster, "bench.retrain", pacedPartitions, events, index, rate, scale.LatencyDuration, scale.RetrainAccounts);
        report.Print("retrain_latency_p99_ms", retrain, 1);
    }

    private static void ProduceAll(string bootstrap, string topic, SimulatedEvent[] events)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 20, BatchSize = 1 << 20, QueueBufferingMaxMessages = 1_000_000 }).Build();
        foreach (var e in events)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<string, byte[]> { Key = e.AccountId, Value = e.Utf8Json });
                    break;
                }
                catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        var left = producer.Flush(TimeSpan.FromMinutes(2));
        if (left != 0)
        {
            throw new InvalidOperationException($"{left} events were not delivered to {topic}.");
        }
    }

    private static int Available(string bootstrap, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "bench-watermarks" }).Build();
        long total = 0;
        for (var p = 0; p < partitions; p++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10));
            total += marks.High.Value - marks.Low.Value;
        }

        return (int)total;
    }

    private static double BareConsume(string bootstrap, string topic, int expected)
    {
        HarnessReport.Progress("kafka: bare consume loop");
        var config = KafkaClientConfigs.Consumer(new KafkaOptions { BootstrapServers = bootstrap, GroupId = "bench-bare", SessionTimeout = TimeSpan.FromSeconds(6) });
        config.ClientId = "bench-bare";
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        long first = 0, count = 0;
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
        while (count < expected && Stopwatch.GetTimestamp() < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            if (count++ == 0)
            {
                first = Stopwatch.GetTimestamp();
            }

            consumer.StoreOffset(result);
        }

        var elapsed = Stopwatch.GetElapsedTime(first);
        consumer.Close();
        HarnessReport.Progress($"kafka: bare loop read {count:N0} in {elapsed.TotalSeconds:F2} s");
        if (count < expected)
        {
            throw new TimeoutException($"The bare loop read {count} of {expected} events.");
        }

        return (count - 1) / elapsed.TotalSeconds;
    }

    private static async Task<double> WorkerConsumeAsync(MockKafkaCluster cluster, string topic, int expected, string group)
    {
        HarnessReport.Progress("kafka: worker");
        var observer = new Observer(expected);
        await using (var worker = await Worker.StartAsync(cluster, topic, group, observer))
        {
            // Events done per second (and GC pauses), to tell a slow start from a slow run.
            var perSecond = new List<string>();
            var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
            var (lastCount, lastPause) = (observer.Count, GC.GetTotalPauseDuration());
            while (await Task.WhenAny(observer.AllDone.Task, Task.Delay(TimeSpan.FromSeconds(1))) != observer.AllDone.Task)
            {
                var (count, pause) = (observer.Count, GC.GetTotalPauseDuration());
                perSecond.Add($"{(count - lastCount) / 1000}k/{(pause - lastPause).TotalMilliseconds:F0}");
                (lastCount, lastPause) = (count, pause);
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"The worker finished {observer.Count} of {expected} events.");
                }
            }

            HarnessReport.Progress($"kafka: worker events per second / GC pause ms: {string.Join(' ', perSecond)}");
        }

        var elapsed = Stopwatch.GetElapsedTime(observer.First, observer.Last);
        HarnessReport.Progress($"kafka: worker finished {expected:N0} in {elapsed.TotalSeconds:F2} s");
        return (expected - 1) / elapsed.TotalSeconds;
    }

    private static async Task<double> PacedLatencyAsync(
        MockKafkaCluster cluster, string topic, int partitions, SimulatedEvent[] events, Dictionary<string, int> index, double rate, TimeSpan duration, int retrainAccounts)
    {
        cluster.CreateTopic(topic, partitions);
        var produced = new long[events.Length];
        var observer = new Observer(int.MaxValue) { Index = index, Produced = produced, Histogram = new LongHistogram(TimeStamp.Seconds(60), 3) };
        var training = retrainAccounts == 0 ? null : new BackgroundPopulationTraining(new RandomizedPcaPopulationTrainer(), 1);

        // The training set exists before the stream starts, as the loops' snapshots do in the worker: building a
        // million arrays on the producing thread would stall the pacing and measure the harness.
        var features = retrainAccounts == 0 ? [] : RandomFeatures(retrainAccounts);
        int sent;
        await using (var worker = await Worker.StartAsync(cluster, topic, topic, observer))
        {
            HarnessReport.Progress($"kafka: {topic}: producing at {rate:F0} events/s{(training is null ? string.Empty : $" while training on {retrainAccounts:N0} accounts")}");
            using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 5 }).Build();
            var started = Stopwatch.GetTimestamp();
            observer.Origin = started;
            var warmUp = started + (Stopwatch.Frequency * WarmUpSeconds);
            Task? trained = null;
            sent = 0;
            var second = 0;
            var pauseBefore = GC.GetTotalPauseDuration();
            while (sent < events.Length)
            {
                var now = Stopwatch.GetTimestamp();
                var elapsed = Stopwatch.GetElapsedTime(started, now);
                if ((int)elapsed.TotalSeconds > second && second < observer.GcPauseBySecond.Length)
                {
                    var pause = GC.GetTotalPauseDuration();
                    observer.GcPauseBySecond[second++] = (pause - pauseBefore).TotalMilliseconds;
                    pauseBefore = pause;
                }
                if (training is not null)
                {
                    if (trained is null && now >= warmUp + Stopwatch.Frequency)
                    {
                        observer.Recording = true;
                        training.Submit(0, DateTimeOffset.UtcNow, features);
                        trained = training.Running;
                    }
                    else if (trained is { IsCompleted: true })
                    {
                        observer.Recording = false;
                        break;
                    }
                }
                else
                {
                    observer.Recording = now >= warmUp;
                    if (elapsed >= duration)
                    {
                        break;
                    }
                }

                var due = (int)Math.Min(events.Length, elapsed.TotalSeconds * rate);
                for (; sent < due; sent++)
                {
                    var e = events[sent];
                    Volatile.Write(ref produced[sent], observer.Recording ? Stopwatch.GetTimestamp() : -1);
                    producer.Produce(topic, new Message<string, byte[]> { Key = e.AccountId, Value = e.Utf8Json });
                }

                Thread.Sleep(1);
            }

            observer.Recording = false;
            if (trained is { IsCompleted: false })
            {
                HarnessReport.Progress($"kafka: {topic}: ran out of events before the training finished");
                await trained;
            }

            producer.Flush(TimeSpan.FromSeconds(30));
            var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
            while (observer.Count < sent && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50);
            }
        }

        if (training is not null)
        {
            await training.DisposeAsync();
        }

        if (observer.Count < sent)
        {
            throw new TimeoutException(
                $"{topic}: the worker finished {observer.Count:N0} of {sent:N0} events: it fell about {LagSeconds * 2.5:F0} s behind and the embedded broker dropped what it had not read, or it stalled.");
        }

        var histogram = observer.Histogram!;
        HarnessReport.Progress(
            $"kafka: {topic}: {sent:N0} produced, {observer.Count:N0} done, {histogram.TotalCount:N0} recorded; p50 {histogram.GetValueAtPercentile(50) / 1000.0:F1} ms, " +
            $"p99 {histogram.GetValueAtPercentile(99) / 1000.0:F1} ms, max {histogram.GetMaxValue() / 1000.0:F1} ms; events over {Observer.SlowMicros / 1000} ms by second produced: {observer.SlowSeconds()}; GC pauses {observer.GcPauseBySecond.Sum():F0} ms");
        return histogram.GetValueAtPercentile(99) / 1000.0;
    }

    private static List<float[]> RandomFeatures(int accounts)
    {
        var random = new Random(5);
        var rows = new List<float[]>(accounts);
        for (var i = 0; i < accounts; i++)
        {
            var row = new float[16];
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = (float)(random.NextDouble() * (f + 1));
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Counts what the worker finished, on its consume thread, and records latencies when asked.</summary>
    private sealed class Observer(int expected) : IProcessingObserver
    {
        private long _count;

        public TaskCompletionSource AllDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long First { get; private set; }

        public long Last { get; private set; }

        public long Count => Interlocked.Read(ref _count);

        public Dictionary<string, int>? Index { get; init; }

        public long[]? Produced { get; init; }

        public LongHistogram? Histogram { get; init; }

        public volatile bool Recording;

        /// <summary>Latencies above this (the target) are counted per second of production, to show when the tail happens.</summary>
        public const long SlowMicros = 200_000;

        /// <summary>When production started (<see cref="Stopwatch"/> ticks).</summary>
        public long Origin { get; set; }

        /// <summary>Per second of production, how many recorded events took longer than <see cref="SlowMicros"/>.</summary>
        public int[] SlowBySecond { get; } = new int[600];

        /// <summary>Per second of production, the time the process spent in GC pauses.</summary>
        public double[] GcPauseBySecond { get; } = new double[600];

        /// <summary>The seconds that had slow events, as <c>second:count</c> and the GC pauses of that second and the one before.</summary>
        public string SlowSeconds()
        {
            lock (Histogram!)
            {
                var seconds = SlowBySecond.Select((n, s) => (n, s)).Where(x => x.n > 0)
                    .Select(x => $"{x.s}:{x.n} (GC {(x.s > 0 ? GcPauseBySecond[x.s - 1] : 0):F0}+{GcPauseBySecond[x.s]:F0} ms)").ToList();
                return seconds.Count == 0 ? "none" : string.Join(' ', seconds);
            }
        }

        public void OnEventDone(AccountEvent accountEvent, EventOutcome outcome, TopicPartitionOffset position)
        {
            var now = Stopwatch.GetTimestamp();
            var count = Interlocked.Increment(ref _count);
            if (count == 1)
            {
                First = now;
            }

            if (Histogram is not null && Index!.TryGetValue(accountEvent.EventId, out var i))
            {
                var producedAt = Volatile.Read(ref Produced![i]);
                if (producedAt > 0)
                {
                    var micros = Math.Max(0, (now - producedAt) * 1_000_000 / Stopwatch.Frequency);
                    var second = (int)Math.Clamp((producedAt - Origin) / Stopwatch.Frequency, 0, SlowBySecond.Length - 1);
                    lock (Histogram)
                    {
                        // Detection loops report concurrently; the histogram is not thread-safe.
                        Histogram.RecordValue(micros);
                        if (micros > SlowMicros)
                        {
                            SlowBySecond[second]++;
                        }
                    }
                }
            }

            if (count == expected)
            {
                Last = now;
                AllDone.TrySetResult();
            }
        }

        public void OnDeadLettered(TopicPartitionOffset position, string reasonCode) => Interlocked.Increment(ref _count);
    }

    /// <summary>The worker host, in-process, as the demo and the integration tests run it.</summary>
    private sealed class Worker : IAsyncDisposable
    {
        private readonly IHost _host;

        private Worker(IHost host) => _host = host;

        public static async Task<Worker> StartAsync(MockKafkaCluster cluster, string topic, string group, Observer observer)
        {
            // The worker's own topics need as many partitions as its input; the mock does not create topics on request.
            var metadata = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
            int partitions;
            using (metadata)
            {
                partitions = metadata.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Count;
            }

            foreach (var own in new[] { "state", "links", "population" })
            {
                cluster.CreateTopic($"{group}.{own}", partitions);
            }

            string[] settings =
            [
                $"--State:Topic={group}.state",
                $"--State:LinksTopic={group}.links",
                $"--State:PopulationTopic={group}.population",
                $"--Kafka:BootstrapServers={cluster.BootstrapServers}",
                $"--Kafka:GroupId={group}",
                $"--Kafka:InputTopics:0={topic}",
                "--Kafka:InputTopics:1=",
                "--Kafka:InputTopics:2=",
                $"--Kafka:AnomalyTopic={AnomalyTopic}",
                $"--Kafka:DeadLetterTopic={DeadLetterTopic}",
                "--Kafka:SessionTimeout=00:00:06",
                "--Detection:AllowedLateness=00:00:00",
                "--Kafka:Settings:fetch.wait.max.ms=20",
                "--Health:Enabled=false",
            ];
            settings = [.. settings, .. (Environment.GetEnvironmentVariable("HARNESS_WORKER_ARGS") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            var logger = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
            var host = WorkerHostFactory.Create(settings, logger, services => services.AddSingleton<IProcessingObserver>(observer));
            await host.StartAsync();
            var pipeline = host.Services.GetRequiredService<KafkaPipelineService>();
            var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 30);
            while (!pipeline.IsReady && pipeline.ExecuteTask is not { IsCompleted: true } && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(20);
            }

            if (!pipeline.IsReady)
            {
                throw new InvalidOperationException("The worker did not join its group.", pipeline.ExecuteTask?.Exception);
            }

            return new Worker(host);
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}

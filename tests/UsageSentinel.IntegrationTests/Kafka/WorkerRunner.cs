using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Worker.Pipeline;

namespace UsageSentinel.IntegrationTests.Kafka;

/// <summary>Runs the real worker host in-process against the embedded Kafka.</summary>
public sealed class WorkerRunner : IAsyncDisposable
{
    private readonly IHost _host;

    private WorkerRunner(IHost host, RecordingObserver observer)
    {
        _host = host;
        Observer = observer;
        Pipeline = host.Services.GetRequiredService<KafkaPipelineService>();
    }

    public RecordingObserver Observer { get; }

    public KafkaPipelineService Pipeline { get; }

    public IServiceProvider Services => _host.Services;

    public static Task<WorkerRunner> StartAsync(KafkaFixture kafka, TestTopics topics, params string[] extra) =>
        StartAsync(kafka, topics, configure: null, extra);

    public static async Task<WorkerRunner> StartAsync(KafkaFixture kafka, TestTopics topics, Action<IServiceCollection>? configure, params string[] extra)
    {
        string[] settings =
        [
            $"--Kafka:BootstrapServers={kafka.BootstrapServers}",
            $"--Kafka:GroupId={topics.GroupId}",
            $"--Kafka:InputTopics:0={topics.Instance}",
            $"--Kafka:InputTopics:1={topics.Billing}",
            $"--Kafka:InputTopics:2={topics.Profiles}",
            $"--Kafka:AnomalyTopic={topics.Anomalies}",
            $"--Kafka:DeadLetterTopic={topics.DeadLetter}",
            $"--State:Topic={topics.State}",
            $"--State:LinksTopic={topics.Links}",
            $"--State:PopulationTopic={topics.Population}",
            "--State:CheckpointInterval=00:00:00.200",
            "--Kafka:SessionTimeout=00:00:06",
            "--Kafka:CommitInterval=00:00:00.200",
            "--Pipeline:Shards=2",
            "--Detection:AllowedLateness=00:00:00",
            // Tests run in parallel: health endpoints only where a test asks for them, on a free loopback port.
            "--Health:Enabled=false",
            .. extra,
        ];
        var observer = new RecordingObserver();
        var logger = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        var host = WorkerHostFactory.Create(settings, logger, services =>
        {
            services.AddSingleton<IProcessingObserver>(observer);
            configure?.Invoke(services);
        });
        await host.StartAsync();
        var runner = new WorkerRunner(host, observer);
        await Wait.UntilAsync(() => runner.Pipeline.IsReady || runner.Pipeline.ExecuteTask is { IsCompleted: true }, TimeSpan.FromSeconds(30), "the worker to join its group");
        if (runner.Pipeline.ExecuteTask is { IsFaulted: true } failed)
        {
            throw new InvalidOperationException("The worker failed to start.", failed.Exception);
        }
        return runner;
    }

    public async Task StopAsync() => await _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

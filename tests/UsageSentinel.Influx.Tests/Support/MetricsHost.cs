using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UsageSentinel.Core.Ports;
using UsageSentinel.Influx.Buffering;

namespace UsageSentinel.Influx.Tests.Support;

/// <summary>A real host with only <c>AddUsageSentinelInflux()</c>, configured from a dictionary like <c>--Metrics:Key=value</c>.</summary>
public sealed class MetricsHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _started;

    private MetricsHost(IHost host, CapturedLogs logs)
    {
        _host = host;
        Logs = logs;
    }

    public CapturedLogs Logs { get; }

    public IMetricsWriter Writer => _host.Services.GetRequiredService<IMetricsWriter>();

    public InfluxWriterStats Stats => _host.Services.GetRequiredService<InfluxWriterStats>();

    public IServiceProvider Services => _host.Services;

    /// <summary>Builds the host; fast retries and flushes unless <paramref name="settings"/> says otherwise.</summary>
    public static MetricsHost Create(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Metrics:FlushInterval"] = "00:00:00.050",
            ["Metrics:RetryInitialDelay"] = "00:00:00.020",
            ["Metrics:RetryMaxDelay"] = "00:00:00.200",
            ["Metrics:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        var logs = new CapturedLogs();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(merged);
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton(new Random(20260301));
        configure?.Invoke(builder.Services);
        builder.Services.AddUsageSentinelInflux();
        return new MetricsHost(builder.Build(), logs);
    }

    public static async Task<MetricsHost> StartAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var host = Create(settings, configure);
        await host.StartAsync();
        return host;
    }

    /// <summary>Starts a host, lets <paramref name="write"/> write, waits until <paramref name="points"/> points are written, and stops it.</summary>
    public static async Task WriteAsync(Dictionary<string, string?> settings, int points, Action<IMetricsWriter> write)
    {
        await using var host = await StartAsync(settings);
        write(host.Writer);
        await host.WaitWrittenAsync(points);
    }

    public async Task StartAsync()
    {
        await _host.StartAsync();
        _started = true;
    }

    /// <summary>Waits until the buffer is empty and at least <paramref name="points"/> points were written in all.</summary>
    public Task WaitWrittenAsync(long points) =>
        Poll.UntilAsync(() => Stats.Written >= points && Stats.Buffered == 0, $"{points} points written (written {Stats.Written}, buffered {Stats.Buffered}, dropped {Stats.Dropped})");

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await _host.StopAsync();
        }

        _host.Dispose();
    }
}

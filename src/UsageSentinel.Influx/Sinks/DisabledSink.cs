using InfluxDB.Client.Writes;

namespace UsageSentinel.Influx.Sinks;

/// <summary>The sink when metrics are disabled; the flusher never calls it.</summary>
internal sealed class DisabledSink : IPointSink
{
    public static DisabledSink Instance { get; } = new();

    public string Target => "nowhere (metrics disabled)";

    public Task<WriteOutcome> WriteAsync(List<PointData> batch, CancellationToken cancellationToken) =>
        Task.FromResult(WriteOutcome.Written);
}

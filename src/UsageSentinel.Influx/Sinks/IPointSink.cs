using InfluxDB.Client.Writes;

namespace UsageSentinel.Influx.Sinks;

/// <summary>Sends one batch of points to the server. Used by the one flusher only.</summary>
internal interface IPointSink
{
    /// <summary>Gets where points go, for logs: the URL and database or bucket, never credentials.</summary>
    string Target { get; }

    /// <summary>Writes a batch; expected failures are returned, not thrown.</summary>
    Task<WriteOutcome> WriteAsync(List<PointData> batch, CancellationToken cancellationToken);
}

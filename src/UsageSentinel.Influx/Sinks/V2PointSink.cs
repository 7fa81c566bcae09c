using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Writes;
using UsageSentinel.Influx.Configuration;

namespace UsageSentinel.Influx.Sinks;

/// <summary>Writes through InfluxDB.Client's <see cref="WriteApiAsync"/> to <c>/api/v2/write</c> (InfluxDB 2.x, VictoriaMetrics).</summary>
internal sealed class V2PointSink : IPointSink, IDisposable
{
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _writeApi;
    private readonly string _bucket;
    private readonly string _org;

    public V2PointSink(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket;
        _org = options.Org;
        _client = new InfluxDBClient(new InfluxDBClientOptions(options.Url)
        {
            Token = options.Token,
            Org = options.Org,
            Bucket = options.Bucket,
            Timeout = options.Timeout,
        });
        _writeApi = _client.GetWriteApiAsync();
        Target = $"{options.Url} (bucket {options.Bucket}, org {options.Org})";
    }

    public string Target { get; }

    public async Task<WriteOutcome> WriteAsync(List<PointData> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _writeApi.WritePointsAsync(batch, _bucket, _org, cancellationToken);
            return WriteOutcome.Written;
        }
        catch (InfluxException ex)
        {
            return ex.Status == 0 ? WriteOutcome.Failed(ex.Message) : WriteOutcome.ForStatus(ex.Status, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return WriteOutcome.Failed(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WriteOutcome.Failed("timed out");
        }
    }

    public void Dispose() => _client.Dispose();
}

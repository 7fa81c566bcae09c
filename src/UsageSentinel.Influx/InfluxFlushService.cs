using InfluxDB.Client.Writes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSentinel.Influx.Buffering;
using UsageSentinel.Influx.Configuration;
using UsageSentinel.Influx.Sinks;

namespace UsageSentinel.Influx;

/// <summary>
/// The one loop that sends buffered points: a batch whenever <c>Metrics:BatchSize</c> points wait or
/// <c>Metrics:FlushInterval</c> has passed. While the server is down it retries with jittered backoff, logging one
/// warning when the outage starts and one information when it ends; the buffer meanwhile keeps the newest points.
/// On stop it makes one last attempt to send what is left, bounded by <c>Metrics:Timeout</c>.
/// </summary>
internal sealed class InfluxFlushService : BackgroundService
{
    private readonly InfluxOptions _options;
    private readonly PointBuffer _buffer;
    private readonly IPointSink _sink;
    private readonly InfluxWriterStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetryBackoff _backoff;
    private readonly List<PointData> _batch;
    private Outage? _outage;
    private long _droppedAtLastSuccess;

    public InfluxFlushService(
        IOptions<InfluxOptions> options,
        PointBuffer buffer,
        IPointSink sink,
        InfluxWriterStats stats,
        TimeProvider time,
        ILogger<InfluxFlushService> logger,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _buffer = buffer;
        _sink = sink;
        _stats = stats;
        _time = time;
        _logger = logger;
        _backoff = new RetryBackoff(_options.RetryInitialDelay, _options.RetryMaxDelay, random ?? Random.Shared);
        _batch = new List<PointData>(_options.BatchSize);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Mode == MetricsMode.Disabled)
        {
            return;
        }

        _logger.MetricsStarting(_options.Mode.ToString(), _sink.Target, _options.EffectiveWorkerTag, _options.BatchSize, _options.BufferCapacity);
        try
        {
            while (true)
            {
                await _buffer.WaitForBatchAsync(_options.FlushInterval, _time, stoppingToken);
                while (!await SendAllAsync(stoppingToken))
                {
                    await Task.Delay(_backoff.Next(), _time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown: send what is left, once.
        }

        using var deadline = new CancellationTokenSource(_options.Timeout, _time);
        try
        {
            await SendAllAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Out of time; what is left is reported below.
        }

        _logger.MetricsStopped(_stats.Written, _stats.Dropped, _buffer.Count);
    }

    /// <summary>Sends batches until the buffer is empty (true) or a write fails (false).</summary>
    private async Task<bool> SendAllAsync(CancellationToken cancellationToken)
    {
        while (_buffer.PeekBatch(_batch, _options.BatchSize) > 0)
        {
            WriteOutcome outcome;
            try
            {
                outcome = await _sink.WriteAsync(_batch, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _buffer.Complete(written: false);
                throw;
            }

            switch (outcome.Kind)
            {
                case WriteOutcomeKind.Written:
                    _buffer.Complete(written: true);
                    EndOutage();
                    break;
                case WriteOutcomeKind.Rejected:
                    _buffer.Reject();
                    _stats.AddFailedBatch();
                    _logger.BatchRejected(_sink.Target, _batch.Count, outcome.Reason);
                    break;
                default:
                    _buffer.Complete(written: false);
                    _stats.AddFailedBatch();
                    StartOutage(outcome.Reason);
                    return false;
            }
        }

        return true;
    }

    private void StartOutage(string reason)
    {
        if (_outage is not null)
        {
            return;
        }

        // Points dropped since the last success count against this outage: the buffer may overflow before a write fails.
        _outage = new Outage(_time.GetTimestamp(), _droppedAtLastSuccess, _stats.FailedBatches - 1);
        _logger.OutageStarted(_sink.Target, reason, _options.BufferCapacity);
    }

    private void EndOutage()
    {
        _backoff.Reset();
        if (_outage is not { } outage)
        {
            _droppedAtLastSuccess = _stats.Dropped;
            return;
        }

        _outage = null;
        _logger.OutageEnded(
            _sink.Target,
            _time.GetElapsedTime(outage.StartedAt).TotalSeconds,
            _stats.FailedBatches - outage.FailedBatchesBefore,
            _stats.Dropped - outage.DroppedBefore);
        _droppedAtLastSuccess = _stats.Dropped;
    }

    private sealed record Outage(long StartedAt, long DroppedBefore, long FailedBatchesBefore);
}

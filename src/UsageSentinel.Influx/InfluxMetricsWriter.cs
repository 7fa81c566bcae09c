using Microsoft.Extensions.Options;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Ports;
using UsageSentinel.Influx.Buffering;
using UsageSentinel.Influx.Configuration;
using UsageSentinel.Influx.Points;
using UsageSentinel.Influx.Schema;

namespace UsageSentinel.Influx;

/// <summary>
/// The <see cref="IMetricsWriter"/> over InfluxDB: builds the points of a sample and adds them to the bounded
/// <see cref="PointBuffer"/>; <see cref="InfluxFlushService"/> sends them. Never waits for the server.
/// </summary>
internal sealed class InfluxMetricsWriter : IMetricsWriter
{
    private readonly PointBuffer _buffer;
    private readonly InfluxWriterStats _stats;
    private readonly string _worker;
    private readonly TagValueLimit _accounts;
    private readonly TagValueLimit _gpuModels;

    public InfluxMetricsWriter(IOptions<InfluxOptions> options, PointBuffer buffer, InfluxWriterStats stats)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _buffer = buffer;
        _stats = stats;
        _worker = value.EffectiveWorkerTag;
        _accounts = new TagValueLimit(value.MaxAccounts);
        _gpuModels = new TagValueLimit(value.MaxGpuModels);
    }

    public void WriteAccountUsage(in AccountUsageSample sample)
    {
        if (!MetricPoints.IsWritable(sample.EventTime) || !AdmitAccount(sample.AccountId))
        {
            return;
        }

        _buffer.Add(MetricPoints.AccountUsage(sample));
        if (sample.GpuHoursByModel is not { Count: > 0 } models)
        {
            return;
        }

        var timestamp = MetricPoints.ToUnixNanoseconds(sample.EventTime);
        var other = 0.0;
        var hasOther = false;
        foreach (var (model, hours) in models)
        {
            if (!string.IsNullOrEmpty(model) && _gpuModels.TryAdmit(model))
            {
                Add(MetricPoints.AccountGpuHours(sample.AccountId, model, hours, timestamp));
            }
            else
            {
                other += hours;
                hasOther = true;
            }
        }

        if (hasOther)
        {
            Add(MetricPoints.AccountGpuHours(sample.AccountId, MetricNames.OtherGpuModel, other, timestamp));
        }
    }

    public void WriteDetectorScore(in DetectorScoreSample sample)
    {
        if (!string.IsNullOrEmpty(sample.Detector) && MetricPoints.IsWritable(sample.EventTime) && AdmitAccount(sample.AccountId))
        {
            Add(MetricPoints.DetectorScore(sample));
        }
    }

    public void WriteAnomaly(AnomalyDetected anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        if (MetricPoints.IsWritable(anomaly.EventTime))
        {
            _buffer.Add(MetricPoints.Anomaly(anomaly));
        }
    }

    public void WriteWorkerHealth(in WorkerHealthSample sample)
    {
        if (!MetricPoints.IsWritable(sample.Timestamp))
        {
            return;
        }

        _buffer.Add(MetricPoints.WorkerHealth(sample, _worker, _stats));
        if (sample.Topics is null)
        {
            return;
        }

        var timestamp = MetricPoints.ToUnixNanoseconds(sample.Timestamp);
        foreach (var topic in sample.Topics)
        {
            Add(MetricPoints.WorkerTopic(topic, _worker, timestamp));
        }
    }

    private bool AdmitAccount(string accountId)
    {
        if (string.IsNullOrEmpty(accountId))
        {
            return false;
        }

        if (_accounts.TryAdmit(accountId))
        {
            return true;
        }

        _stats.AddSkippedAccountSample();
        return false;
    }

    private void Add(InfluxDB.Client.Writes.PointData? point)
    {
        if (point is not null)
        {
            _buffer.Add(point);
        }
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Linking;
using UsageSentinel.Core.Ports;
using UsageSentinel.Kafka.Anomalies;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>
/// One detection loop: owns a <see cref="DetectionEngine{TToken}"/> and the accounts sharded to it, reads its
/// channel, publishes anomalies, and reports each event done once its anomalies are delivered.
/// </summary>
internal sealed class DetectionShard : IDetectionOutput<InputPosition>
{
    private readonly Channel<InputPosition> _channel;
    private readonly DetectionEngine<InputPosition> _engine;
    private readonly OutputPublisher _publisher;
    private readonly string _anomalyTopic;
    private readonly ConcurrentQueue<DoneItem> _done;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _reportedUnknownTypes;
    private readonly IMetricsWriter _metrics;
    private readonly AlertForwarder? _alerts;
    private PendingEvent? _current;
    private int _accounts;

    public DetectionShard(
        int capacity,
        DetectionOptions options,
        GpuCatalog catalog,
        LinkGraph links,
        IPopulationTraining population,
        int loopIndex,
        OutputPublisher publisher,
        string anomalyTopic,
        ConcurrentQueue<DoneItem> done,
        ConcurrentDictionary<string, byte> reportedUnknownTypes,
        IMetricsWriter metrics,
        AlertForwarder? alerts,
        ILogger logger)
    {
        _alerts = alerts;
        _metrics = metrics;
        _reportedUnknownTypes = reportedUnknownTypes;
        _channel = Channel.CreateBounded<InputPosition>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _engine = new DetectionEngine<InputPosition>(options, catalog, this, links, population, loopIndex);
        _publisher = publisher;
        _anomalyTopic = anomalyTopic;
        _done = done;
        _logger = logger;
    }

    public ChannelWriter<InputPosition> Writer => _channel.Writer;

    public int Queued => _channel.Reader.Count;

    public EngineCounters EngineCounters => _engine.Counters;

    public long PopulationModelVersion => _engine.PopulationModelVersion;

    public int Accounts => Volatile.Read(ref _accounts);

    public async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var item))
            {
                _engine.Offer(item.Event!, item);
            }

            Volatile.Write(ref _accounts, _engine.AccountCount);
        }
    }

    public void OnAnomaly(AnomalyDetected anomaly, InputPosition token)
    {
        if (_current is null || !IsSame(_current.Position, token))
        {
            _current = new PendingEvent(token, _done);
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.AnomalyRaised(anomaly.AccountId, anomaly.Detector, anomaly.Score, anomaly.Severity.ToWireName(), anomaly.DedupKey);
        }
        _metrics.WriteAnomaly(anomaly);
        _metrics.WriteDetectorScore(new DetectorScoreSample(anomaly.AccountId, anomaly.Detector, anomaly.EventTime, anomaly.Score));
        var message = new Message<string, byte[]> { Key = anomaly.AccountId, Value = AnomalyJson.ToUtf8(anomaly) };
        _publisher.Publish(_anomalyTopic, message, _current, isAnomaly: true);
        _alerts?.Forward(anomaly, _current);
    }

    public void OnEventDone(InputPosition token, EventOutcome outcome)
    {
        if (_current is not null && IsSame(_current.Position, token))
        {
            _current.Outcome = outcome;
            _current.Release();
            _current = null;
            return;
        }

        _done.Enqueue(new DoneItem(token, outcome));
    }

    public void OnUnknownInstanceType(string instanceType, string? gpuModel)
    {
        if (_reportedUnknownTypes.TryAdd(instanceType, 0))
        {
            _logger.UnknownInstanceType(instanceType, gpuModel ?? "(none)");
        }
    }

    public bool WantsAccountUsage => !ReferenceEquals(_metrics, NullMetricsWriter.Instance);

    public void OnAccountEvaluated(AccountComputeSummary summary, double dailySpend)
    {
        if (summary.AccruedUntil is { } at)
        {
            _metrics.WriteAccountUsage(AccountUsageSample.FromSummary(summary, at, dailySpend));
        }
    }

    private static bool IsSame(in InputPosition a, in InputPosition b) =>
        a.Offset == b.Offset && ReferenceEquals(a.Event, b.Event);
}

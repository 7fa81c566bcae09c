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
    private readonly DetectionOptions _options;
    private readonly GpuCatalog _catalog;
    private readonly LinkGraph _links;
    private readonly IPopulationTraining _population;
    private readonly Func<int, IAccountStateStore?>? _stores;
    private readonly Dictionary<int, PartitionEngine> _tasks = [];
    private readonly ConcurrentQueue<PartitionSnapshot> _snapshots;
    private readonly OutputPublisher _publisher;
    private readonly string _anomalyTopic;
    private readonly ConcurrentQueue<DoneItem> _done;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _reportedUnknownTypes;
    private readonly IMetricsWriter _metrics;
    private readonly AlertForwarder? _alerts;
    private readonly object _room = new(); // a monitor: Monitor.Wait/PulseAll (System.Threading.Lock has no wait)
    private readonly int _lowWater;
    private int _wantsRoom;
    private PendingEvent? _current;
    private int _accounts;
    private long _populationVersion;

    public DetectionShard(
        int capacity,
        DetectionOptions options,
        GpuCatalog catalog,
        LinkGraph links,
        IPopulationTraining population,
        OutputPublisher publisher,
        string anomalyTopic,
        ConcurrentQueue<DoneItem> done,
        ConcurrentQueue<PartitionSnapshot> snapshots,
        ConcurrentDictionary<string, byte> reportedUnknownTypes,
        IMetricsWriter metrics,
        AlertForwarder? alerts,
        ILogger logger,
        Func<int, IAccountStateStore?>? stores = null)
    {
        _stores = stores;
        _alerts = alerts;
        _metrics = metrics;
        _reportedUnknownTypes = reportedUnknownTypes;
        _lowWater = capacity / 2;
        _channel = Channel.CreateBounded<InputPosition>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _options = options;
        _catalog = catalog;
        _links = links;
        _population = population;
        _snapshots = snapshots;
        _publisher = publisher;
        _anomalyTopic = anomalyTopic;
        _done = done;
        _logger = logger;
    }

    public ChannelWriter<InputPosition> Writer => _channel.Writer;

    public int Queued => _channel.Reader.Count;

    /// <summary>
    /// Waits until this loop's channel is at most half full (or <paramref name="timeout"/> passes): the input loop holds
    /// consumption meanwhile, so a full loop gets a batch of room at once instead of one slot at a time.
    /// </summary>
    /// <returns>Whether there is room.</returns>
    public bool WaitForRoom(TimeSpan timeout)
    {
        lock (_room)
        {
            Volatile.Write(ref _wantsRoom, 1);
            var room = _channel.Reader.Count <= _lowWater || Monitor.Wait(_room, timeout);
            Volatile.Write(ref _wantsRoom, 0);
            return room;
        }
    }

    /// <summary>Gets the counters of every engine this loop ran.</summary>
    public EngineCounters EngineCounters { get; } = new();

    public long PopulationModelVersion => Volatile.Read(ref _populationVersion);

    public int Accounts => Volatile.Read(ref _accounts);

    /// <summary>
    /// Creates the engine of one partition, owned by this loop once handed over with <see cref="ShardCommand.AddTask"/>.
    /// The population model's slot is the partition number, so slots stay stable as partitions move between loops.
    /// </summary>
    public DetectionEngine<InputPosition> CreateEngine(int partition)
    {
        var engine = new DetectionEngine<InputPosition>(_options, _catalog, this, _links, _population, partition, _stores?.Invoke(partition), EngineCounters);
        engine.TrackChanges();
        return engine;
    }

    public async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var item))
            {
                if (Volatile.Read(ref _wantsRoom) == 1 && reader.Count <= _lowWater)
                {
                    lock (_room)
                    {
                        Monitor.PulseAll(_room);
                    }
                }

                if (item.Command is { } command)
                {
                    Execute(command, item);
                }
                else if (_tasks.TryGetValue(item.Partition.Partition.Value, out var task))
                {
                    task.Engine.Offer(item.Event!, item, new InputOffset(task.StreamOf(item.Partition), item.Offset));
                }
            }

            var accounts = 0;
            foreach (var task in _tasks.Values)
            {
                accounts += task.Engine.AccountCount;
                Volatile.Write(ref _populationVersion, Math.Max(_populationVersion, task.Engine.PopulationModelVersion));
            }

            Volatile.Write(ref _accounts, accounts);
        }
    }

    private void Execute(ShardCommand command, InputPosition position)
    {
        switch (command.Kind)
        {
            case ShardCommandKind.EvaluateLinks:
                if (_tasks.TryGetValue(command.Partition, out var linked))
                {
                    linked.Engine.EvaluateLinkedGroups(position);
                    if (_current is not null && _current.Position.Command is not null)
                    {
                        // Anomalies of a group judgement hold no input offset: released once delivered.
                        _current.Release();
                        _current = null;
                    }
                }

                break;
            case ShardCommandKind.AddTask:
                _tasks[command.Partition] = new PartitionEngine(command.Partition, command.Engine!);
                break;
            case ShardCommandKind.SetIdle:
                if (_tasks.TryGetValue(command.Partition, out var idle))
                {
                    idle.Engine.SetStreamIdle(command.Stream, command.Idle);
                }

                break;
            case ShardCommandKind.Checkpoint:
                var request = command.Request!;
                if (!_tasks.TryGetValue(command.Partition, out var task))
                {
                    request.Exported.Set();
                    break;
                }

                if (request.Remove)
                {
                    _tasks.Remove(command.Partition);
                }

                if (request.Discard)
                {
                    _snapshots.Enqueue(new PartitionSnapshot(request, [], [], new Dictionary<string, long>()));
                    request.Exported.Set();
                    break;
                }

                var accounts = new List<KeyValuePair<string, byte[]>>(task.Engine.ChangedAccounts);
                task.Engine.ExportChanges((id, bytes) => accounts.Add(new(id, bytes.ToArray())));
                var clock = new System.Buffers.ArrayBufferWriter<byte>(256);
                task.Engine.WriteClock(clock);
                var waiting = new Dictionary<long, long>();
                task.Engine.LowestWaitingOffsets(waiting);
                var restart = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var (topic, dispatched) in request.Dispatched)
                {
                    var stream = PartitionEngine.StreamOf(topic, command.Partition);
                    restart[topic] = waiting.TryGetValue(stream, out var lowest) ? Math.Min(lowest, dispatched) : dispatched;
                }

                _snapshots.Enqueue(new PartitionSnapshot(request, accounts, clock.WrittenSpan.ToArray(), restart, _publisher.IssuedSequence));
                request.Exported.Set();
                break;
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

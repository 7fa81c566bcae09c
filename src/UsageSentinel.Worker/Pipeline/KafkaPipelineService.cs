using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Linking;
using UsageSentinel.Core.Ports;
using UsageSentinel.Detection.ML.Population;
using UsageSentinel.Kafka.Configuration;
using UsageSentinel.Kafka.Contract;
using UsageSentinel.Kafka.DeadLetters;
using UsageSentinel.Webhooks.Delivery;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>
/// Ingest → detect → publish. A dedicated thread consumes, parses and dead-letters; detection loops own the
/// accounts sharded to them; offsets are stored only after an event's outputs are delivered (at-least-once).
/// </summary>
public sealed class KafkaPipelineService : BackgroundService, IPipelineStatus
{
    private readonly KafkaOptions _kafka;
    private readonly PipelineOptions _pipeline;
    private readonly DetectionOptions _detection;
    private readonly RandomizedPcaPopulationOptions _populationModel;
    private readonly IMetricsWriter _metrics;
    private readonly IAlertNotifier? _alertNotifier;
    private readonly AlertingStats? _alertStats;
    private readonly LatencyRecorder _latency = new();
    private readonly Dictionary<string, long> _consumedByTopic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _reportedByTopic = new(StringComparer.Ordinal);
    private long _lastHealth;
    private long _reportedCapExceeded;
    private long _lag;
    private readonly GpuCatalog _catalog;
    private readonly IProcessingObserver[] _observers;
    private readonly TimeProvider _time;
    private readonly ILogger<KafkaPipelineService> _logger;
    private readonly OffsetTracker _tracker = new();
    private readonly ConcurrentQueue<DoneItem> _done = new();
    private readonly Queue<ConsumeResult<byte[]?, byte[]?>> _overflow = new();
    private DetectionShard[] _shards = [];
    private volatile bool _ready;
    private long _lastPoll;

    /// <summary>Initializes a new instance of the <see cref="KafkaPipelineService"/> class.</summary>
    /// <param name="kafka">Kafka options.</param>
    /// <param name="pipeline">Pipeline options.</param>
    /// <param name="detection">Detection options.</param>
    /// <param name="populationModel">Options of the <c>population_outlier</c> model.</param>
    /// <param name="catalog">The GPU catalog.</param>
    /// <param name="observers">Optional listeners.</param>
    /// <param name="metrics">Receives usage, anomalies and the worker's health.</param>
    /// <param name="time">Time for durations and status intervals (never for detection).</param>
    /// <param name="logger">The logger.</param>
    /// <param name="alertNotifier">Takes anomalies for on-call alerting, when configured.</param>
    /// <param name="alertStats">Alert delivery counters, for the health metrics.</param>
    public KafkaPipelineService(
        IOptions<KafkaOptions> kafka,
        IOptions<PipelineOptions> pipeline,
        IOptions<DetectionOptions> detection,
        IOptions<RandomizedPcaPopulationOptions> populationModel,
        GpuCatalog catalog,
        IEnumerable<IProcessingObserver> observers,
        IMetricsWriter metrics,
        TimeProvider time,
        ILogger<KafkaPipelineService> logger,
        IAlertNotifier? alertNotifier = null,
        AlertingStats? alertStats = null)
    {
        _alertNotifier = alertNotifier;
        _alertStats = alertStats;
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(detection);
        _kafka = kafka.Value;
        _pipeline = pipeline.Value;
        _detection = detection.Value;
        _populationModel = populationModel?.Value ?? new RandomizedPcaPopulationOptions();
        _catalog = catalog;
        _observers = [.. observers];
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _lastPoll = time.GetTimestamp();
    }

    /// <summary>Gets the version of the population model the first detection loop uses; 0 before the first.</summary>
    public long PopulationModelVersion => _shards.Length == 0 ? 0 : _shards[0].PopulationModelVersion;

    /// <summary>Gets the pipeline's counters.</summary>
    public PipelineCounters Counters { get; } = new();

    /// <summary>Gets whether the consumer has joined its group and has partitions.</summary>
    public bool IsReady => _ready;

    /// <summary>Gets the <see cref="TimeProvider.GetTimestamp"/> of the consume loop's last poll, or of this service's creation before its first.</summary>
    public long LastPollTimestamp => Volatile.Read(ref _lastPoll);

    /// <inheritdoc />
    bool IPipelineStatus.HasStopped => ExecuteTask is { IsCompleted: true };

    /// <summary>Gets events processed by all detection loops.</summary>
    public long Processed => _shards.Sum(s => s.EngineCounters.Processed);

    /// <summary>Gets duplicate events dropped by all detection loops.</summary>
    public long Duplicates => _shards.Sum(s => s.EngineCounters.Duplicates);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunCore(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void OnPopulationTrained(PopulationTrainingResult result)
    {
        if (result.Error is { } error)
        {
            _logger.PopulationTrainingFailed(error, result.Accounts);
        }
        else
        {
            _logger.PopulationModelTrained(result.ModelVersion, result.Accounts, result.EventTime, (long)result.Elapsed.TotalMilliseconds);
        }
    }

    private void RunCore(CancellationToken stoppingToken)
    {
        using var producer = new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(_kafka))
            .SetErrorHandler((_, e) => _logger.KafkaError(e.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        var publisher = new OutputPublisher(producer, Counters, _logger);
        var reportedUnknownTypes = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

        // One link graph for all detection loops of this worker, so groups span shards (each loop locks it briefly).
        var links = LinkGraph.For(_detection);

        var alerts = _alertNotifier is null ? null : new AlertForwarder(_alertNotifier, _logger, stoppingToken);

        // The population model is trained in the background from all loops' snapshots and hot-swapped into each loop.
        var population = new BackgroundPopulationTraining(new RandomizedPcaPopulationTrainer(_populationModel), _pipeline.EffectiveShards);
        population.Trained += OnPopulationTrained;
        _shards = [.. Enumerable.Range(0, _pipeline.EffectiveShards).Select(i =>
            new DetectionShard(_pipeline.ChannelCapacity, _detection, _catalog, links, population, i, publisher, _kafka.AnomalyTopic, _done, reportedUnknownTypes, _metrics, alerts, _logger))];
        var shardTasks = _shards.Select(s => Task.Run(s.RunAsync, CancellationToken.None)).ToArray();

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Consumer(_kafka))
            .SetErrorHandler((_, e) =>
            {
                _logger.KafkaError(e.Reason);
                if (e.IsFatal)
                {
                    throw new KafkaException(e);
                }
            })
            .SetLogHandler((_, _) => { })
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                foreach (var p in partitions)
                {
                    _tracker.Assign(p);
                }

                _ready = true;
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.PartitionsAssigned(Describe(partitions));
                }
            })
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                DrainDone(c);
                foreach (var p in partitions)
                {
                    _tracker.Revoke(p.TopicPartition);
                }

                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.PartitionsRevoked(Describe(partitions.Select(p => p.TopicPartition)));
                }
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                foreach (var p in partitions)
                {
                    _tracker.Revoke(p.TopicPartition);
                }

                if (_logger.IsEnabled(LogLevel.Warning))
                {
                    _logger.PartitionsLost(Describe(partitions.Select(p => p.TopicPartition)));
                }
            })
            .Build();

        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.PipelineStarting(string.Join(",", _kafka.EffectiveInputTopics), _kafka.GroupId, _shards.Length);
        }
        consumer.Subscribe(_kafka.EffectiveInputTopics);
        var nextStatus = _time.GetTimestamp();
        var paused = false;
        var pausedAt = 0L;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // The liveness heartbeat: one timestamp per iteration, and every iteration polls (at most 100 ms).
                Volatile.Write(ref _lastPoll, _time.GetTimestamp());
                DrainDone(consumer);
                publisher.RetryFailed(1_000);
                if (_time.GetElapsedTime(nextStatus) >= TimeSpan.Zero)
                {
                    LogProgress();
                    PublishHealth(consumer);
                    nextStatus = _time.GetTimestamp() + (long)(_pipeline.StatusInterval.TotalSeconds * _time.TimestampFrequency);
                }

                if (paused)
                {
                    if (!TryDispatchOverflow(publisher))
                    {
                        // Paused partitions deliver nothing, but polling keeps the group membership alive.
                        if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } late)
                        {
                            _overflow.Enqueue(late);
                        }

                        continue;
                    }

                    consumer.Resume(consumer.Assignment);
                    paused = false;
                    if (_logger.IsEnabled(LogLevel.Information))
                    {
                        _logger.Resumed((long)_time.GetElapsedTime(pausedAt).TotalMilliseconds);
                    }
                }

                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null)
                {
                    continue;
                }

                _overflow.Enqueue(result);
                if (!TryDispatchOverflow(publisher))
                {
                    consumer.Pause(consumer.Assignment);
                    paused = true;
                    pausedAt = _time.GetTimestamp();
                    Counters.AddPause();
                    _logger.Paused();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }

        Shutdown(consumer, publisher, shardTasks);
        population.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private bool TryDispatchOverflow(OutputPublisher publisher)
    {
        while (_overflow.TryPeek(out var result))
        {
            if (!TryDispatch(result, publisher))
            {
                return false;
            }

            _overflow.Dequeue();
        }

        return true;
    }

    private bool TryDispatch(ConsumeResult<byte[]?, byte[]?> result, OutputPublisher publisher)
    {
        var value = result.Message.Value;
        if (!ContractParser.TryParse(value ?? [], out var @event, out var error))
        {
            Track(result);
            DeadLetter(result, error, publisher);
            return true;
        }

        var shard = _shards[ShardOf(@event.AccountId, _shards.Length)];
        var position = new InputPosition(result.TopicPartition, result.Offset.Value, @event, ConsumedAt: _time.GetTimestamp());
        if (!shard.Writer.TryWrite(position))
        {
            return false;
        }

        Track(result);
        return true;
    }

    private void Track(ConsumeResult<byte[]?, byte[]?> result)
    {
        Counters.AddConsumed();
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_consumedByTopic, result.Topic, out _);
        count++;
        _tracker.Track(result.TopicPartition, result.Offset.Value);
    }

    private void DeadLetter(ConsumeResult<byte[]?, byte[]?> result, ContractError error, OutputPublisher publisher)
    {
        var code = error.Reason.ToCode();
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            _logger.DeadLettered(result.Topic, result.Partition.Value, result.Offset.Value, code, error.Message);
        }
        var headers = new Headers
        {
            { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(code) },
            { DeadLetterHeaders.Message, Encoding.UTF8.GetBytes(error.Message) },
            { DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(result.Topic) },
            { DeadLetterHeaders.SourcePartition, Encoding.UTF8.GetBytes(result.Partition.Value.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.SourceOffset, Encoding.UTF8.GetBytes(result.Offset.Value.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.SourceTimestamp, Encoding.UTF8.GetBytes(result.Message.Timestamp.UnixTimestampMs.ToString(CultureInfo.InvariantCulture)) },
        };
        if (result.Message.Headers is { } original)
        {
            foreach (var header in original)
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        var key = result.Message.Key is { } k ? Encoding.UTF8.GetString(k) : null!;
        var message = new Message<string, byte[]> { Key = key, Value = result.Message.Value ?? [], Headers = headers };
        var pending = new PendingEvent(new InputPosition(result.TopicPartition, result.Offset.Value, null, code), _done);
        publisher.Publish(_kafka.DeadLetterTopic, message, pending, isAnomaly: false);
        pending.Release();
    }

    private void OnDeadLetterDelivered(TopicPartition partition, long offset, string code)
    {
        Counters.AddDeadLettered();
        foreach (var observer in _observers)
        {
            observer.OnDeadLettered(new TopicPartitionOffset(partition, offset), code);
        }
    }

    private void DrainDone(IConsumer<byte[]?, byte[]?> consumer)
    {
        while (_done.TryDequeue(out var item))
        {
            var position = item.Position;
            if (position.ConsumedAt != 0)
            {
                _latency.Record(_time.GetElapsedTime(position.ConsumedAt).TotalMilliseconds);
            }

            if (position.Event is null)
            {
                OnDeadLetterDelivered(position.Partition, position.Offset, position.DeadLetterCode ?? string.Empty);
            }
            else
            {
                foreach (var observer in _observers)
                {
                    observer.OnEventDone(position.Event, item.Outcome, new TopicPartitionOffset(position.Partition, position.Offset));
                }
            }

            if (_tracker.Complete(position.Partition, position.Offset, out var storable))
            {
                try
                {
                    consumer.StoreOffset(new TopicPartitionOffset(position.Partition, storable));
                }
                catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_State)
                {
                    // The partition was revoked meanwhile; its new owner consumes from the committed offset.
                }
            }
        }
    }

    private void Shutdown(IConsumer<byte[]?, byte[]?> consumer, OutputPublisher publisher, Task[] shardTasks)
    {
        _logger.PipelineStopping(_tracker.InFlight);
        foreach (var shard in _shards)
        {
            shard.Writer.TryComplete();
        }

        var deadline = _time.GetTimestamp() + (long)(_pipeline.DrainTimeout.TotalSeconds * _time.TimestampFrequency);
        Task.WaitAll(shardTasks, _pipeline.DrainTimeout);
        while (_time.GetTimestamp() < deadline)
        {
            publisher.RetryFailed(1_000);
            var outstanding = publisher.Producer.Flush(TimeSpan.FromMilliseconds(200));
            DrainDone(consumer);
            if (outstanding == 0 && publisher.Retries.IsEmpty && _done.IsEmpty)
            {
                break;
            }
        }

        DrainDone(consumer);
        if (_tracker.InFlight > 0)
        {
            // Events still waiting for the watermark in the engines: not processed, so not committed.
            _logger.DrainIncomplete(_tracker.InFlight);
        }

        consumer.Close();
        _ready = false;
        _logger.PipelineStopped(Counters.Consumed, Counters.DeadLettered, Counters.AnomaliesPublished);
    }

    /// <summary>Gets the consumer lag summed over the assigned partitions at the last status interval.</summary>
    public long ConsumerLag => Interlocked.Read(ref _lag);

    private void PublishHealth(IConsumer<byte[]?, byte[]?> consumer)
    {
        var now = _time.GetTimestamp();
        var seconds = _lastHealth == 0 ? 0 : _time.GetElapsedTime(_lastHealth, now).TotalSeconds;
        _lastHealth = now;
        var lagByTopic = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            if (high.IsSpecial || position.IsSpecial)
            {
                continue;
            }

            ref var lag = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(lagByTopic, partition.Topic, out _);
            lag += Math.Max(0, high.Value - position.Value);
        }

        Interlocked.Exchange(ref _lag, lagByTopic.Values.Sum());
        var topics = new List<TopicHealthSample>();
        foreach (var topic in _kafka.EffectiveInputTopics)
        {
            _consumedByTopic.TryGetValue(topic, out var consumed);
            _reportedByTopic.TryGetValue(topic, out var reported);
            _reportedByTopic[topic] = consumed;
            topics.Add(new TopicHealthSample(topic, seconds > 0 ? (consumed - reported) / seconds : 0, lagByTopic.GetValueOrDefault(topic)));
        }

        var capExceeded = _shards.Sum(s => s.EngineCounters.CapExceeded);
        if (capExceeded > _reportedCapExceeded)
        {
            _reportedCapExceeded = capExceeded;
            _logger.AccountCapExceeded(_detection.MaxTrackedAccounts, _shards.Sum(s => s.Accounts), _shards.Sum(s => s.EngineCounters.Evicted));
        }

        var (p50, p99) = _latency.TakePercentiles();
        _metrics.WriteWorkerHealth(new WorkerHealthSample(
            _time.GetUtcNow(),
            topics,
            Counters.DeadLettered,
            _shards.Sum(s => s.EngineCounters.Duplicates),
            p50,
            p99,
            _shards.Sum(s => s.Accounts),
            0,
            Counters.AnomaliesPublished,
            _alertStats?.Delivered ?? 0,
            (_alertStats?.FailedAttempts ?? 0) + (_alertStats?.DeadLettered ?? 0)));
    }

    private void LogProgress()
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        _logger.Progress(
            Counters.Consumed,
            _shards.Sum(s => s.EngineCounters.Processed),
            _shards.Sum(s => s.EngineCounters.Duplicates),
            _shards.Sum(s => s.EngineCounters.Late),
            Counters.DeadLettered,
            Counters.AnomaliesPublished,
            _shards.Sum(s => s.Accounts),
            _tracker.InFlight);
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(",", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]"));

    /// <summary>FNV-1a of the account id: stable across processes, unlike string.GetHashCode.</summary>
    internal static int ShardOf(string accountId, int shards)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var c in accountId)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)(hash % (uint)shards);
        }
    }
}

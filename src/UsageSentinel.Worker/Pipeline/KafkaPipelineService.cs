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
using UsageSentinel.Worker.State;
using Confluent.Kafka.Admin;

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
    private readonly StateOptions _state;
    private readonly ConcurrentQueue<PartitionSnapshot> _snapshots = new();
    private readonly ConcurrentQueue<CheckpointDelivery> _checkpointed = new();
    private readonly List<PartitionSnapshot> _unwritten = [];
    private readonly Dictionary<int, OwnedPartition> _owned = [];
    private readonly List<TopicPartition> _pauseMembership = [];
    private readonly Dictionary<TopicPartition, long> _uncommitted = [];
    private long _nextCommit;
    private long _checkpointSequence;
    private readonly Dictionary<int, int> _checkpointsInFlight = [];
    private bool _linksChanged;
    private long _nextLinkEvaluation;
    private IReadOnlyList<string> _topics = [];
    private int _partitionCount;
    private OutputPublisher? _publisher;
    private AlertForwarder? _alerts;
    private IConsumer<byte[]?, byte[]?>? _input;
    private LinkGraph? _links;
    private SharedPopulationTraining? _population;
    private ChangelogPointReader? _evictedReader;
    private IAdminClient? _offsetsAdmin;
    private Task<Dictionary<TopicPartition, long>>? _idleCheck;
    private int _lastTrainingAccounts;
    private long _lastTrainingTicks;
    private readonly byte[] _origin = Guid.NewGuid().ToByteArray();
    private IConsumer<byte[]?, byte[]?>? _membership;
    private volatile bool _restoring;
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
    /// <param name="state">Options of the state changelog; defaults when not given.</param>
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
        AlertingStats? alertStats = null,
        IOptions<StateOptions>? state = null)
    {
        _state = state?.Value ?? new StateOptions();
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

    /// <summary>Gets how many accounts the last population model was trained on (every worker's partitions); 0 before.</summary>
    public int LastPopulationTrainingAccounts => Volatile.Read(ref _lastTrainingAccounts);

    /// <summary>Gets the newest event time among the snapshots the last population model was trained on.</summary>
    public DateTimeOffset? LastPopulationTrainingEventTime => Volatile.Read(ref _lastTrainingTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>Gets the accounts evicted under the account cap, by every loop.</summary>
    public long EvictedAccounts => _shards.Sum(s => s.EngineCounters.Evicted);

    /// <summary>Gets how many evicted accounts were read back from the state topic.</summary>
    public long EvictedStateReads => _evictedReader?.Reads ?? 0;

    /// <summary>Gets the pipeline's counters.</summary>
    public PipelineCounters Counters { get; } = new();

    /// <summary>Gets whether the worker owns partitions and has restored their state.</summary>
    public bool IsReady => _ready && !_restoring;

    /// <summary>Gets the partition numbers this worker owns (state and input), for tests and diagnostics.</summary>
    public IReadOnlyCollection<int> OwnedPartitions => _ownedSnapshot;

    private volatile int[] _ownedSnapshot = [];

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
            Volatile.Write(ref _lastTrainingAccounts, result.Accounts);
            Volatile.Write(ref _lastTrainingTicks, result.EventTime.UtcTicks);
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
        _publisher = publisher;
        var reportedUnknownTypes = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

        // One link graph for all detection loops of this worker, so groups span partitions (each loop locks it
        // briefly); its changes go to the links topic and every worker applies the others', so groups span workers.
        var links = LinkGraph.For(_detection);
        _links = links;

        _alerts = _alertNotifier is null ? null : new AlertForwarder(_alertNotifier, _logger, stoppingToken);

        if (!DiscoverTopics(stoppingToken))
        {
            return;
        }

        // The population model is trained in the background from every partition's snapshots (one slot per
        // partition number) and hot-swapped into each engine.
        var population = new BackgroundPopulationTraining(new RandomizedPcaPopulationTrainer(_populationModel), _partitionCount, _detection.PopulationOutlier.MinimumAccounts);
        population.Trained += OnPopulationTrained;
        var shared = new SharedPopulationTraining(population, (partition, eventTime, features) => PublishSnapshot(producer, partition, eventTime, features));
        _population = shared;
        var pointConfig = KafkaClientConfigs.Reader(_kafka, "usage-sentinel-evicted");
        pointConfig.FetchWaitMaxMs = 5; // one record wanted: do not wait for more to arrive
        using var evictedReader = new ChangelogPointReader(
            new ConsumerBuilder<byte[]?, byte[]?>(pointConfig).SetLogHandler((_, _) => { }).Build(),
            _state.RestoreTimeout);
        _evictedReader = evictedReader;
        Func<int, IAccountStateStore?>? stores = _detection.MaxTrackedAccounts > 0
            ? partition => new ChangelogAccountStore(new TopicPartition(_state.Topic, partition), (tp, id, bytes, acknowledged) => WriteEvicted(producer, tp, id, bytes, acknowledged), evictedReader)
            : null;
        _shards = [.. Enumerable.Range(0, _pipeline.EffectiveShards).Select(_ =>
            new DetectionShard(_pipeline.ChannelCapacity, _detection, _catalog, links, shared, publisher, _kafka.AnomalyTopic, _done, _snapshots, reportedUnknownTypes, _metrics, _alerts, _logger, stores))];
        var shardTasks = _shards.Select(s => Task.Run(s.RunAsync, CancellationToken.None)).ToArray();

        // The restore reader reads one state partition after another to its end: a fetch left waiting at the end of the
        // previous one (fetch.wait.max.ms, 500 ms by default) would delay the next partition by as much.
        var restoreConfig = KafkaClientConfigs.Reader(_kafka, "usage-sentinel-restore");
        restoreConfig.FetchWaitMaxMs = 10;
        using var restoreReader = new ConsumerBuilder<byte[]?, byte[]?>(restoreConfig)
            .SetErrorHandler((_, e) => _logger.KafkaError(e.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        using var input = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Reader(_kafka, "usage-sentinel-worker"))
            .SetErrorHandler((_, e) =>
            {
                _logger.KafkaError(e.Reason);
                if (e.IsFatal)
                {
                    throw new KafkaException(e);
                }
            })
            .SetLogHandler((_, _) => { })
            .Build();
        _input = input;
        using var offsetsAdmin = new AdminClientBuilder(KafkaClientConfigs.Admin(_kafka)).SetLogHandler((_, _) => { }).Build();
        _offsetsAdmin = offsetsAdmin;
        using var linksReader = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Reader(_kafka, "usage-sentinel-links"))
            .SetErrorHandler((_, e) => _logger.KafkaError(e.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        RestoreLinks(linksReader, producer, stoppingToken);
        using var populationReader = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Reader(_kafka, "usage-sentinel-population"))
            .SetErrorHandler((_, e) => _logger.KafkaError(e.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        populationReader.Assign(Enumerable.Range(0, _partitionCount).Select(p => new TopicPartitionOffset(_state.PopulationTopic, p, Offset.Beginning)));

        // Group membership is on the state topic: owning state partition p means owning partition p of every input
        // topic, so an account's state and all of its input stay together whatever the assignor does.
        var membershipConfig = KafkaClientConfigs.Consumer(_kafka);
        membershipConfig.EnableAutoCommit = false;
        using var membership = new ConsumerBuilder<byte[]?, byte[]?>(membershipConfig)
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
                _restoring = true;
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.PartitionsAssigned(Describe(partitions));
                }

                var offsets = QueryOffsets(offsetsAdmin, [.. partitions.Select(p => p.Partition.Value)]);
                foreach (var partition in partitions)
                {
                    Restore(partition.Partition.Value, restoreReader, offsets);
                }

                _restoring = false;
                _ready = _owned.Count > 0;
                _pauseMembership.AddRange(partitions);
                return partitions.Select(p => new TopicPartitionOffset(p, Offset.End));
            })
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                DrainDone();
                foreach (var partition in partitions)
                {
                    Release(partition.Partition.Value, discard: false);
                }

                _ready = _owned.Count > 0;
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.PartitionsRevoked(Describe(partitions.Select(p => p.TopicPartition)));
                }
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                foreach (var partition in partitions)
                {
                    Release(partition.Partition.Value, discard: true);
                }

                _ready = _owned.Count > 0;
                if (_logger.IsEnabled(LogLevel.Warning))
                {
                    _logger.PartitionsLost(Describe(partitions.Select(p => p.TopicPartition)));
                }
            })
            .Build();
        _membership = membership;

        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.PipelineStarting(string.Join(",", _topics), _kafka.GroupId, _shards.Length);
        }

        membership.Subscribe(_state.Topic);
        var nextStatus = _time.GetTimestamp();
        var nextCheckpointCheck = 0L;
        var nextIdleCheck = 0L;
        var held = false;
        var heldAt = 0L;
        var lastHeldLog = long.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // The liveness heartbeat: one timestamp per iteration, and every iteration polls (at most 100 ms).
                Volatile.Write(ref _lastPoll, _time.GetTimestamp());
                if (membership.Consume(TimeSpan.Zero) is not null && _logger.IsEnabled(LogLevel.Trace))
                {
                    // State records the group consumer saw before its partitions were paused: not needed here.
                }

                if (_pauseMembership.Count > 0)
                {
                    PauseMembership();
                }

                DrainDone();
                ApplyLinks(linksReader, 500);
                ApplyPopulation(populationReader, 8);
                publisher.RetryFailed(1_000);
                WriteCheckpoints(force: false);
                CommitCheckpointed();
                var now = _time.GetTimestamp();
                if (now >= nextCheckpointCheck)
                {
                    RequestCheckpoints(now);
                    nextCheckpointCheck = now + Ticks(CheckpointCheckInterval);
                }

                if (now >= nextIdleCheck)
                {
                    UpdateIdleStreams();
                    nextIdleCheck = now + Ticks(TimeSpan.FromMilliseconds(100));
                }

                if (_time.GetElapsedTime(nextStatus) >= TimeSpan.Zero)
                {
                    LogProgress();
                    PublishHealth(input);
                    nextStatus = _time.GetTimestamp() + Ticks(_pipeline.StatusInterval);
                }

                if (held)
                {
                    // A detection loop was full: wait (briefly, housekeeping goes on) until it has room for a batch.
                    // Consumption is held, not paused: pausing would drop what the client already fetched.
                    if (!TryDispatchOverflow(publisher) && !(WaitForRoom(TimeSpan.FromMilliseconds(20)) && TryDispatchOverflow(publisher)))
                    {
                        continue;
                    }

                    held = false;
                    if (_logger.IsEnabled(LogLevel.Debug))
                    {
                        _logger.Resumed((long)_time.GetElapsedTime(heldAt).TotalMilliseconds);
                    }
                }

                if (_owned.Count == 0)
                {
                    // Nothing to read yet: wait in the group consumer, which serves the rebalance callbacks.
                    if (membership.Consume(TimeSpan.FromMilliseconds(100)) is not null && _logger.IsEnabled(LogLevel.Trace))
                    {
                        // As above.
                    }

                    continue;
                }

                // A batch of input between two rounds of the housekeeping above (each round polls three more clients):
                // until the input has nothing more for now, a batch is full, or its time is up.
                var batchEnd = _time.GetTimestamp() + Ticks(BatchTime);
                for (var n = 0; n < BatchSize; n++)
                {
                    var result = input.Consume(n == 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.Zero);
                    if (result is null)
                    {
                        break;
                    }

                    _overflow.Enqueue(result);
                    if (!TryDispatchOverflow(publisher))
                    {
                        held = true;
                        heldAt = _time.GetTimestamp();
                        Counters.AddPause();
                        if (lastHeldLog == long.MinValue || _time.GetElapsedTime(lastHeldLog) >= HeldLogInterval)
                        {
                            // Under sustained load this happens many times a second: say it now and then.
                            lastHeldLog = heldAt;
                            _logger.Paused();
                        }

                        break;
                    }

                    if ((n & 63) == 63 && _time.GetTimestamp() >= batchEnd)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }

        Shutdown(membership, input, publisher, shardTasks);
        population.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Least time between two "detection loops full" warnings.</summary>
    private static readonly TimeSpan HeldLogInterval = TimeSpan.FromSeconds(30);

    /// <summary>How often the consume loop looks for partitions whose checkpoint is due.</summary>
    private static readonly TimeSpan CheckpointCheckInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Most input messages read between two rounds of housekeeping.</summary>
    private const int BatchSize = 2_048;

    /// <summary>Longest time spent reading input between two rounds of housekeeping.</summary>
    private static readonly TimeSpan BatchTime = TimeSpan.FromMilliseconds(20);

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void PauseMembership()
    {
        try
        {
            _membership!.Pause(_pauseMembership.Where(p => _membership.Assignment.Contains(p)));
        }
        catch (KafkaException)
        {
            // Revoked meanwhile; nothing to pause.
        }

        _pauseMembership.Clear();
    }

    /// <summary>
    /// Finds the input topics and their partition count, and makes sure the state topic has as many partitions
    /// (creating it when missing). Waits while no input topic exists yet.
    /// </summary>
    private bool DiscoverTopics(CancellationToken stoppingToken)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(_kafka)).SetLogHandler((_, _) => { }).Build();
        var nextWarning = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            Volatile.Write(ref _lastPoll, _time.GetTimestamp());
            Metadata metadata;
            try
            {
                metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            }
            catch (KafkaException ex)
            {
                _logger.KafkaError(ex.Error.Reason);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                continue;
            }

            var partitions = metadata.Topics
                .Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0)
                .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
            var existing = _kafka.EffectiveInputTopics.Where(partitions.ContainsKey).ToList();
            if (existing.Count == 0)
            {
                if (_time.GetTimestamp() >= nextWarning)
                {
                    _logger.WaitingForTopics(string.Join(",", _kafka.EffectiveInputTopics));
                    nextWarning = _time.GetTimestamp() + Ticks(TimeSpan.FromSeconds(30));
                }

                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
                continue;
            }

            var counts = existing.Select(t => partitions[t]).Distinct().ToList();
            if (counts.Count > 1)
            {
                throw new InvalidOperationException(
                    "Kafka:InputTopics: the input topics must have the same number of partitions, since each account's events and state are kept " +
                    $"together by partition number ({string.Join(", ", existing.Select(t => $"{t} has {partitions[t]}"))}).");
            }

            foreach (var missing in _kafka.EffectiveInputTopics.Except(existing))
            {
                _logger.InputTopicMissing(missing);
            }

            _topics = existing;
            _partitionCount = counts[0];
            EnsureTopic(admin, _state.Topic, "State:Topic", partitions.GetValueOrDefault(_state.Topic));
            EnsureTopic(admin, _state.LinksTopic, "State:LinksTopic", partitions.GetValueOrDefault(_state.LinksTopic));
            EnsureTopic(admin, _state.PopulationTopic, "State:PopulationTopic", partitions.GetValueOrDefault(_state.PopulationTopic));
            return true;
        }

        return false;
    }

    private void EnsureTopic(IAdminClient admin, string topic, string setting, int partitions)
    {
        if (partitions == 0)
        {
            try
            {
                admin.CreateTopicsAsync(
                    [new TopicSpecification
                    {
                        Name = topic,
                        NumPartitions = _partitionCount,
                        Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
                    }],
                    new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(15), OperationTimeout = TimeSpan.FromSeconds(15) })
                    .GetAwaiter().GetResult();
                _logger.StateTopicCreated(topic, _partitionCount);
                return;
            }
            catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
            {
                partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
            }
            catch (KafkaException ex)
            {
                throw new InvalidOperationException(
                    $"{setting}: the topic {topic} does not exist and could not be created ({ex.Error.Reason}); " +
                    $"create it with {_partitionCount} partitions and cleanup.policy=compact.", ex);
            }
        }

        if (partitions != _partitionCount)
        {
            throw new InvalidOperationException(
                $"{setting}: the topic {topic} has {partitions} partitions; it must have {_partitionCount}, as many as each input topic.");
        }
    }

    /// <summary>
    /// The log start of every input and state partition of one assignment and the end of each state partition, in two
    /// requests: queried one partition at a time they take up to half a second each, and an assignment of many
    /// partitions would outlast the group's patience. What the requests could not answer is left out.
    /// </summary>
    private AssignmentOffsets QueryOffsets(IAdminClient admin, List<int> partitions)
    {
        var states = partitions.Select(p => new TopicPartition(_state.Topic, p)).ToList();
        var inputs = partitions.SelectMany(p => _topics.Select(t => new TopicPartition(t, p)));
        return new(ListOffsets(admin, [.. inputs, .. states], OffsetSpec.Earliest()), ListOffsets(admin, states, OffsetSpec.Latest()));
    }

    private Dictionary<TopicPartition, long> ListOffsets(IAdminClient admin, List<TopicPartition> partitions, OffsetSpec spec)
    {
        var offsets = new Dictionary<TopicPartition, long>();
        if (partitions.Count == 0)
        {
            return offsets;
        }

        IEnumerable<ListOffsetsResultInfo> infos;
        try
        {
            var specs = partitions.Select(tp => new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = spec });
            infos = admin.ListOffsetsAsync(specs, new ListOffsetsOptions { RequestTimeout = TimeSpan.FromSeconds(10) }).GetAwaiter().GetResult().ResultInfos;
        }
        catch (ListOffsetsException ex)
        {
            infos = ex.Result.ResultInfos;
        }
        catch (KafkaException ex)
        {
            _logger.KafkaError(ex.Error.Reason);
            return offsets;
        }

        foreach (var info in infos)
        {
            var offset = info.TopicPartitionOffsetError;
            if (!offset.Error.IsError && !offset.Offset.IsSpecial)
            {
                offsets[offset.TopicPartition] = offset.Offset.Value;
            }
        }

        return offsets;
    }

    /// <summary>One input partition's log start, when the batched request did not answer for it; 0 when this fails too.</summary>
    private long QueryLogStart(TopicPartition partition)
    {
        try
        {
            return Math.Max(0, _input!.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).Low.Value);
        }
        catch (KafkaException ex)
        {
            _logger.KafkaError(ex.Error.Reason);
            return 0;
        }
    }

    /// <summary>Takes over partition <paramref name="partition"/>: restores its state, then reads its input from the checkpoint.</summary>
    private void Restore(int partition, IConsumer<byte[]?, byte[]?> restoreReader, AssignmentOffsets offsets)
    {
        var statePartition = new TopicPartition(_state.Topic, partition);
        WatermarkOffsets? known = offsets.Start.TryGetValue(statePartition, out var stateStart) && offsets.End.TryGetValue(statePartition, out var stateEnd) ? new(stateStart, stateEnd) : null;
        var restored = ChangelogRestorer.Read(restoreReader, statePartition, _state.RestoreTimeout, known: known);
        var shard = _shards.OrderBy(s => _owned.Values.Count(o => ReferenceEquals(o.Shard, s))).First();
        var engine = shard.CreateEngine(partition);
        var accounts = 0;
        foreach (var (accountId, bytes) in restored.Accounts)
        {
            try
            {
                engine.RestoreAccount(bytes);
                accounts++;
            }
            catch (InvalidDataException ex)
            {
                _logger.StateRecordCorrupt(ex, partition, accountId);
            }
        }

        if (restored.Checkpoint is { } checkpoint)
        {
            engine.ReadClock(checkpoint.Clock);
        }

        engine.RetainStreams([.. _topics.Select(t => PartitionEngine.StreamOf(t, partition))]);
        if (restored.Ignored > 0)
        {
            _logger.RestoreIgnoredIncomplete(partition, restored.Ignored);
        }

        // Take ownership in the log before reading any input: records a previous owner still writes after this are
        // ignored by every later restore (zombie fencing without transactions).
        var epoch = restored.Epoch + 1;
        var ownerRecord = new Message<string, byte[]> { Key = StateRecords.OwnerKey, Value = [], Headers = StateRecords.OwnerHeaders(epoch) };
        _publisher!.Producer.Produce(new TopicPartition(_state.Topic, partition), ownerRecord);
        _publisher.Producer.Flush(_state.RestoreTimeout);
        var owned = new OwnedPartition(partition, shard) { Epoch = epoch, CheckpointDue = FirstCheckpointDue(partition, _time.GetTimestamp()) };
        var assign = new List<TopicPartitionOffset>();
        foreach (var topic in _topics)
        {
            var tp = new TopicPartition(topic, partition);
            var low = offsets.Start.TryGetValue(tp, out var start) ? start : QueryLogStart(tp);
            var from = restored.Checkpoint?.Offsets.TryGetValue(topic, out var offset) == true ? Math.Max(offset, low) : low;
            owned.Next[topic] = from;
            owned.Idle[topic] = false;
            assign.Add(new TopicPartitionOffset(tp, from));
        }

        owned.Written = restored.Checkpoint?.Offsets.ToDictionary(StringComparer.Ordinal) ?? [];
        foreach (var (topic, offset) in owned.Written)
        {
            _uncommitted[new TopicPartition(topic, partition)] = offset; // lag tools see where this owner resumes
        }

        shard.Writer.WriteAsync(InputPosition.For(ShardCommand.AddTask(partition, engine))).AsTask().GetAwaiter().GetResult();
        _owned[partition] = owned;
        _ownedSnapshot = [.. _owned.Keys.Order()];
        _input!.IncrementalAssign(assign);
        Counters.AddRestored(accounts, (long)restored.Elapsed.TotalMilliseconds);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.PartitionRestored(partition, _state.Topic, accounts, restored.Records, (long)restored.Elapsed.TotalMilliseconds, string.Join(",", assign.Select(a => $"{a.Topic}@{a.Offset.Value}")));
        }
    }

    /// <summary>Gives up partition <paramref name="partition"/>: checkpoints it (unless lost to another worker) and drops its state.</summary>
    private void Release(int partition, bool discard)
    {
        if (!_owned.TryGetValue(partition, out var owned))
        {
            return;
        }

        var request = new CheckpointRequest(partition, new Dictionary<string, long>(owned.Next, StringComparer.Ordinal), Remove: true, Discard: discard);
        owned.Shard.Writer.WriteAsync(InputPosition.For(ShardCommand.Checkpoint(request))).AsTask().GetAwaiter().GetResult();
        request.Exported.Wait(_pipeline.DrainTimeout);
        if (!discard)
        {
            // Written while still owned; what cannot be written now (outputs undelivered after the drain timeout) is
            // dropped: the next owner resumes from the previous checkpoint, which is always consistent.
            WriteCheckpoints(force: true);
            var dropped = _unwritten.RemoveAll(s => s.Request.Partition == partition);
            if (dropped > 0)
            {
                _logger.CheckpointFailed(partition, _state.Topic, "outputs still undelivered when the partition was given up");
            }

            // The next owner restores as soon as this returns: wait for the checkpoint record to be acknowledged.
            var deadline = _time.GetTimestamp() + Ticks(_pipeline.DrainTimeout);
            _nextCommit = 0;
            CommitCheckpointed();
            while (_checkpointsInFlight.GetValueOrDefault(partition) > 0 && _time.GetTimestamp() < deadline)
            {
                _publisher!.Producer.Flush(TimeSpan.FromMilliseconds(50));
                _nextCommit = 0;
                CommitCheckpointed();
            }
        }

        _owned.Remove(partition);
        _ownedSnapshot = [.. _owned.Keys.Order()];

        var inputs = _topics.Select(t => new TopicPartition(t, partition)).ToList();
        try
        {
            _input!.IncrementalUnassign(inputs);
        }
        catch (KafkaException ex)
        {
            _logger.KafkaError(ex.Error.Reason);
        }

        foreach (var tp in inputs)
        {
            _tracker.Revoke(tp);
            _uncommitted.Remove(tp); // the next owner commits it
        }

        if (_overflow.Count > 0)
        {
            var keep = _overflow.Where(r => r.Partition.Value != partition).ToList();
            _overflow.Clear();
            foreach (var item in keep)
            {
                _overflow.Enqueue(item);
            }
        }
    }

    /// <summary>
    /// Reads the links topic to its end into the link graph before any input (a restarted worker knows every group
    /// again), then journals the graph's own changes to it.
    /// </summary>
    private void RestoreLinks(IConsumer<byte[]?, byte[]?> reader, IProducer<string, byte[]> producer, CancellationToken stoppingToken)
    {
        var started = _time.GetTimestamp();
        var partitions = Enumerable.Range(0, _partitionCount).Select(p => new TopicPartition(_state.LinksTopic, p)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => reader.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        reader.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var read = 0L;
        var positions = new Dictionary<int, long>();
        while (!stoppingToken.IsCancellationRequested && ends.Any(e => positions.GetValueOrDefault(e.Key) < e.Value))
        {
            Volatile.Write(ref _lastPoll, _time.GetTimestamp());
            if (reader.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                positions[result.Partition.Value] = result.Offset.Value + 1;
                ApplyLink(result);
                read++;
            }
        }

        _logger.LinksRestored(_state.LinksTopic, read, _links!.Accounts, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        _links.Journal = record =>
        {
            var message = new Message<string, byte[]>
            {
                Key = LinkRecordCodec.KeyOf(record),
                Value = LinkRecordCodec.Encode(record),
                Headers = new Headers { { LinkRecordCodec.OriginHeader, _origin } },
            };
            try
            {
                producer.Produce(_state.LinksTopic, message);
            }
            catch (ProduceException<string, byte[]> ex)
            {
                _logger.LinkRecordLost(_state.LinksTopic, ex.Error.Reason);
            }
        };
    }

    /// <summary>Writes an evicted account to its changelog partition; on acknowledgement only its offset stays in memory.</summary>
    private void WriteEvicted(IProducer<string, byte[]> producer, TopicPartition partition, string accountId, byte[] state, Action<long> acknowledged)
    {
        var message = new Message<string, byte[]> { Key = accountId, Value = state, Headers = StateRecords.EvictionHeaders() };
        try
        {
            producer.Produce(partition, message, report =>
            {
                if (!report.Error.IsError)
                {
                    acknowledged(report.Offset.Value);
                }
            });
            Counters.AddStateRecord();
        }
        catch (ProduceException<string, byte[]> ex)
        {
            // Kept in memory instead: the account is reloaded from there.
            _logger.LinkRecordLost(partition.Topic, ex.Error.Reason);
        }
    }

    private void PublishSnapshot(IProducer<string, byte[]> producer, int partition, DateTimeOffset eventTime, IReadOnlyList<float[]> features)
    {
        foreach (var chunk in PopulationSnapshotCodec.Encode(partition, eventTime.UtcTicks, features))
        {
            var message = new Message<string, byte[]>
            {
                Key = partition.ToString(CultureInfo.InvariantCulture),
                Value = chunk,
                Headers = new Headers { { LinkRecordCodec.OriginHeader, _origin } },
            };
            try
            {
                producer.Produce(_state.PopulationTopic, message);
            }
            catch (ProduceException<string, byte[]> ex)
            {
                _logger.LinkRecordLost(_state.PopulationTopic, ex.Error.Reason);
            }
        }
    }

    private void ApplyPopulation(IConsumer<byte[]?, byte[]?> reader, int max)
    {
        for (var i = 0; i < max && reader.Consume(TimeSpan.Zero) is { } result; i++)
        {
            if (result.Message.Value is not { } value
                || (result.Message.Headers is { } headers && headers.TryGetLastBytes(LinkRecordCodec.OriginHeader, out var origin) && origin.AsSpan().SequenceEqual(_origin)))
            {
                continue;
            }

            try
            {
                _population!.Apply(PopulationSnapshotCodec.Decode(value));
            }
            catch (InvalidDataException ex)
            {
                _logger.LinkRecordCorrupt(ex, result.Topic, result.Partition.Value, result.Offset.Value);
            }
        }
    }

    private void ApplyLinks(IConsumer<byte[]?, byte[]?> reader, int max)
    {
        for (var i = 0; i < max && reader.Consume(TimeSpan.Zero) is { } result; i++)
        {
            if (result.Message.Headers is { } headers && headers.TryGetLastBytes(LinkRecordCodec.OriginHeader, out var origin) && origin.AsSpan().SequenceEqual(_origin))
            {
                continue; // our own change, already in the graph
            }

            ApplyLink(result);
            _linksChanged = true;
        }

        if (_linksChanged && _time.GetTimestamp() >= _nextLinkEvaluation)
        {
            // A loop whose queue is full does not get the request: asked again shortly, or a group whose last figures
            // just arrived would never be judged on them.
            var all = true;
            foreach (var owned in _owned.Values)
            {
                all &= owned.Shard.Writer.TryWrite(InputPosition.For(ShardCommand.EvaluateLinks(owned.Partition)));
            }

            _linksChanged = !all;
            _nextLinkEvaluation = _time.GetTimestamp() + Ticks(all ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(100));
        }
    }

    private void ApplyLink(ConsumeResult<byte[]?, byte[]?> result)
    {
        if (result.Message.Value is not { } value)
        {
            return;
        }

        try
        {
            var record = LinkRecordCodec.Decode(value);
            lock (_links!)
            {
                _links.Apply(record);
            }
        }
        catch (InvalidDataException ex)
        {
            _logger.LinkRecordCorrupt(ex, result.Topic, result.Partition.Value, result.Offset.Value);
        }
    }

    /// <summary>
    /// Asks every owned partition whose checkpoint is due (and has none in progress) for its changes, in order with its
    /// events. Partitions are due at different moments of the interval (<see cref="FirstCheckpointDue"/>), so a loop
    /// exports one partition at a time instead of all of them at once, which stalled its events for the sum.
    /// </summary>
    private void RequestCheckpoints(long now)
    {
        foreach (var owned in _owned.Values)
        {
            if (owned.CheckpointInProgress || now < owned.CheckpointDue)
            {
                continue;
            }

            var request = new CheckpointRequest(owned.Partition, new Dictionary<string, long>(owned.Next, StringComparer.Ordinal), Remove: false, Discard: false);
            if (owned.Shard.Writer.TryWrite(InputPosition.For(ShardCommand.Checkpoint(request))))
            {
                owned.CheckpointInProgress = true;
                owned.CheckpointDue = now + Ticks(_state.CheckpointInterval);
            }
        }
    }

    /// <summary>
    /// When a newly owned partition's first checkpoint is due: within one interval, at a fraction of it set by the
    /// partition number (golden-ratio spacing), so any set of partitions a worker owns is spread over the interval.
    /// </summary>
    private long FirstCheckpointDue(int partition, long now) => now + CheckpointOffset(partition, Ticks(_state.CheckpointInterval));

    /// <summary>
    /// Partition <paramref name="partition"/>'s place in the checkpoint interval: the fractional part of
    /// (partition + 1) × (golden ratio − 1) of it. Any run of consecutive partitions lands spread out (the three-gap
    /// theorem: at most three distinct gaps, none much over interval / count).
    /// </summary>
    internal static long CheckpointOffset(int partition, long intervalTicks)
    {
        const double GoldenFraction = 0.6180339887498949;
        return (long)(intervalTicks * ((partition + 1) * GoldenFraction % 1.0));
    }

    /// <summary>
    /// Writes exported checkpoints, in order, each once every output published before it was exported is delivered
    /// (so a restored state never reflects an event whose anomalies were lost): account records, then the checkpoint
    /// record, to the partition's changelog partition. With <paramref name="force"/> waits for those deliveries (up to
    /// the drain timeout).
    /// </summary>
    private void WriteCheckpoints(bool force)
    {
        while (_snapshots.TryDequeue(out var snapshot))
        {
            _unwritten.Add(snapshot);
        }

        var producer = _publisher!.Producer;
        var deadline = _time.GetTimestamp() + Ticks(_pipeline.DrainTimeout);
        var written = 0;
        while (written < _unwritten.Count)
        {
            var snapshot = _unwritten[written];
            if (!_publisher.DeliveredThrough(snapshot.Outputs) || (_alerts?.InFlight ?? 0) > 0)
            {
                if (!force || _time.GetTimestamp() >= deadline)
                {
                    break; // outputs still in flight: the next round writes it.
                }

                _publisher.RetryFailed(1_000);
                producer.Flush(TimeSpan.FromMilliseconds(50));
                continue;
            }

            WriteCheckpoint(producer, snapshot);
            written++;
        }

        _unwritten.RemoveRange(0, written);
    }

    private void WriteCheckpoint(IProducer<string, byte[]> producer, PartitionSnapshot snapshot)
    {
        var partition = snapshot.Request.Partition;
        if (snapshot.Request.Discard || !_owned.TryGetValue(partition, out var owned))
        {
            return; // given up meanwhile: its new owner checkpoints it from now on.
        }

        if (snapshot.Accounts.Count == 0 && SameOffsets(owned.Written, snapshot.Restart))
        {
            owned.CheckpointInProgress = false; // nothing changed since the last checkpoint.
            return;
        }

        var tp = new TopicPartition(_state.Topic, partition);
        var id = new byte[_origin.Length + 8];
        _origin.CopyTo(id, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(id.AsSpan(_origin.Length), ++_checkpointSequence);
        foreach (var (accountId, state) in snapshot.Accounts)
        {
            Produce(producer, tp, new Message<string, byte[]> { Key = accountId, Value = state, Headers = StateRecords.AccountHeaders(id, owned.Epoch) }, null);
        }

        var record = new Message<string, byte[]>
        {
            Key = StateRecords.CheckpointKey,
            Value = StateRecords.Encode(new Checkpoint(snapshot.Clock, snapshot.Restart)),
            Headers = StateRecords.CheckpointHeaders(id, owned.Epoch),
        };
        var accounts = snapshot.Accounts.Count;
        _checkpointsInFlight[partition] = _checkpointsInFlight.GetValueOrDefault(partition) + 1;
        Produce(producer, tp, record, report => _checkpointed.Enqueue(new CheckpointDelivery(partition, snapshot.Restart, accounts, report.Error)));
    }

    private static bool SameOffsets(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private void Produce(IProducer<string, byte[]> producer, TopicPartition partition, Message<string, byte[]> message, Action<DeliveryReport<string, byte[]>>? onDelivered)
    {
        while (true)
        {
            try
            {
                producer.Produce(partition, message, onDelivered);
                Counters.AddStateRecord();
                return;
            }
            catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>
    /// Commits the input offsets of delivered checkpoints to the group, so lag tools see durable progress. A commit
    /// refused (e.g. during a rebalance) is tried again; restarts never read these offsets, only the checkpoints.
    /// </summary>
    private void CommitCheckpointed()
    {
        while (_checkpointed.TryDequeue(out var delivery))
        {
            if (_checkpointsInFlight.GetValueOrDefault(delivery.Partition) is var inFlight and > 1)
            {
                _checkpointsInFlight[delivery.Partition] = inFlight - 1;
            }
            else
            {
                _checkpointsInFlight.Remove(delivery.Partition);
            }

            _owned.TryGetValue(delivery.Partition, out var owned);
            if (owned is not null)
            {
                owned.CheckpointInProgress = false;
            }

            if (delivery.Error.IsError)
            {
                _logger.CheckpointFailed(delivery.Partition, _state.Topic, delivery.Error.Reason);
                continue;
            }

            Counters.AddCheckpoint();
            if (owned is not null)
            {
                owned.Written = delivery.Restart;
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.CheckpointWritten(delivery.Partition, delivery.Accounts, string.Join(",", delivery.Restart.Select(kv => $"{kv.Key}@{kv.Value}")));
            }

            foreach (var (topic, offset) in delivery.Restart)
            {
                _uncommitted[new TopicPartition(topic, delivery.Partition)] = offset;
            }
        }

        if (_uncommitted.Count == 0 || _time.GetTimestamp() < _nextCommit)
        {
            return;
        }

        try
        {
            _membership!.Commit(_uncommitted.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)));
            _uncommitted.Clear();
        }
        catch (KafkaException ex)
        {
            // E.g. a rebalance in progress: tried again shortly.
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.KafkaError(ex.Error.Reason);
            }

            _nextCommit = _time.GetTimestamp() + Ticks(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>
    /// Tells each engine which of its input streams are caught up, so a stream with nothing to read does not hold the
    /// others back. The end a consumer knows comes from its last fetch and can be stale: a partition that looks read
    /// to its end may already hold events older than those another topic just delivered, and declaring it idle would
    /// let that topic run ahead and make them late. So a stream is declared idle only when the broker, asked after
    /// it looked caught up, confirms its end (one batched request at a time, on the admin connection); it is active
    /// again as soon as more is known to be there.
    /// </summary>
    private void UpdateIdleStreams()
    {
        if (_idleCheck is { IsCompleted: true } check)
        {
            _idleCheck = null;
            if (check.IsCompletedSuccessfully)
            {
                foreach (var (partition, end) in check.Result)
                {
                    if (_owned.TryGetValue(partition.Partition.Value, out var confirmed) && !confirmed.Idle[partition.Topic]
                        && confirmed.Next[partition.Topic] >= end)
                    {
                        _ = SetIdle(confirmed, partition.Topic, idle: true);
                    }
                }
            }
        }

        List<TopicPartition>? candidates = null;
        foreach (var owned in _owned.Values)
        {
            foreach (var topic in _topics)
            {
                var high = _input!.GetWatermarkOffsets(new TopicPartition(topic, owned.Partition)).High;
                var caughtUp = !high.IsSpecial && owned.Next[topic] >= high.Value;
                if (!caughtUp && owned.Idle[topic])
                {
                    _ = SetIdle(owned, topic, idle: false);
                }
                else if (caughtUp && !owned.Idle[topic])
                {
                    (candidates ??= []).Add(new TopicPartition(topic, owned.Partition));
                }
            }
        }

        if (candidates is not null && _idleCheck is null && _offsetsAdmin is { } admin)
        {
            _idleCheck = QueryEndsAsync(admin, candidates);
        }
    }

    /// <summary>
    /// An idle stream of the partition delivered again: every idle stream of it becomes active, in order before the
    /// event, until the broker confirms its end again. Whatever the other topics received before this event may not
    /// be fetched yet, and must not be passed.
    /// </summary>
    /// <returns><see langword="false"/> when the loop's queue is full (tried again with the event).</returns>
    private bool WakeStreams(OwnedPartition owned)
    {
        foreach (var topic in _topics)
        {
            if (owned.Idle[topic] && !SetIdle(owned, topic, idle: false))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SetIdle(OwnedPartition owned, string topic, bool idle)
    {
        if (!owned.Shard.Writer.TryWrite(InputPosition.For(ShardCommand.SetIdle(owned.Partition, PartitionEngine.StreamOf(topic, owned.Partition), idle))))
        {
            return false;
        }

        owned.Idle[topic] = idle;
        return true;
    }

    private static async Task<Dictionary<TopicPartition, long>> QueryEndsAsync(IAdminClient admin, List<TopicPartition> partitions)
    {
        var specs = partitions.Select(tp => new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = OffsetSpec.Latest() });
        var result = await admin.ListOffsetsAsync(specs, new ListOffsetsOptions { RequestTimeout = TimeSpan.FromSeconds(10) }).ConfigureAwait(false);
        return result.ResultInfos
            .Where(i => !i.TopicPartitionOffsetError.Error.IsError && !i.TopicPartitionOffsetError.Offset.IsSpecial)
            .ToDictionary(i => i.TopicPartitionOffsetError.TopicPartition, i => i.TopicPartitionOffsetError.Offset.Value);
    }

    /// <summary>Waits until the detection loop the oldest held message goes to has room (see <see cref="DetectionShard.WaitForRoom"/>).</summary>
    private bool WaitForRoom(TimeSpan timeout) =>
        !_overflow.TryPeek(out var head) || !_owned.TryGetValue(head.Partition.Value, out var owned) || owned.Shard.WaitForRoom(timeout);

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
            if (!_owned.ContainsKey(result.Partition.Value))
            {
                return true;
            }

            Track(result);
            DeadLetter(result, error, publisher);
            return true;
        }

        if (!_owned.TryGetValue(result.Partition.Value, out var owned))
        {
            return true; // the partition was given up meanwhile: its new owner reads it.
        }

        if (owned.Idle[result.Topic] && !WakeStreams(owned))
        {
            return false;
        }

        var position = new InputPosition(result.TopicPartition, result.Offset.Value, @event, ConsumedAt: _time.GetTimestamp());
        if (!owned.Shard.Writer.TryWrite(position))
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
        if (_owned.TryGetValue(result.Partition.Value, out var owned))
        {
            owned.Next[result.Topic] = result.Offset.Value + 1;
        }
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

    private void DrainDone()
    {
        while (_done.TryDequeue(out var item))
        {
            var position = item.Position;
            if (position.Command is not null)
            {
                continue; // outputs of a command (a linked-group judgement): no input offset to complete
            }

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

            _tracker.Complete(position.Partition, position.Offset, out _);
        }
    }

    private void Shutdown(IConsumer<byte[]?, byte[]?> membership, IConsumer<byte[]?, byte[]?> input, OutputPublisher publisher, Task[] shardTasks)
    {
        _logger.PipelineStopping(_tracker.InFlight);

        // Checkpoint every partition after the events dispatched so far, then leave the group so the partitions move
        // at once. Events still waiting for the watermark are read again by the next owner (the checkpoint says from where).
        foreach (var partition in _owned.Keys.ToList())
        {
            Release(partition, discard: false);
        }

        _ready = false;
        foreach (var shard in _shards)
        {
            shard.Writer.TryComplete();
        }

        var deadline = _time.GetTimestamp() + Ticks(_pipeline.DrainTimeout);
        Task.WaitAll(shardTasks, _pipeline.DrainTimeout);
        while (_time.GetTimestamp() < deadline)
        {
            publisher.RetryFailed(1_000);
            var outstanding = publisher.Producer.Flush(TimeSpan.FromMilliseconds(200));
            DrainDone();
            if (outstanding == 0 && publisher.Retries.IsEmpty && _done.IsEmpty)
            {
                break;
            }
        }

        DrainDone();
        CommitCheckpointed();
        if (_tracker.InFlight > 0)
        {
            // Events still waiting for the watermark in the engines: not processed; the checkpoint reads them again.
            _logger.DrainIncomplete(_tracker.InFlight);
        }

        membership.Close();
        input.Close();
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
            (_alertStats?.FailedAttempts ?? 0) + (_alertStats?.DeadLettered ?? 0),
            Counters.RestoredAccounts,
            Counters.RestoreMilliseconds,
            Counters.Checkpoints));
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

/// <summary>Log starts (inputs and state) and ends (state) of the partitions of one assignment.</summary>
internal sealed record AssignmentOffsets(Dictionary<TopicPartition, long> Start, Dictionary<TopicPartition, long> End);

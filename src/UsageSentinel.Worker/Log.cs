using Microsoft.Extensions.Logging;

namespace UsageSentinel.Worker;

/// <summary>The worker's recurring log events.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Consuming {Topics} as group {GroupId} with {Shards} detection loops")]
    public static partial void PipelineStarting(this ILogger logger, string topics, string groupId, int shards);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Partitions assigned: {Partitions}")]
    public static partial void PartitionsAssigned(this ILogger logger, string partitions);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Partitions revoked: {Partitions}")]
    public static partial void PartitionsRevoked(this ILogger logger, string partitions);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Partitions lost: {Partitions}")]
    public static partial void PartitionsLost(this ILogger logger, string partitions);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Stopping: draining {InFlight} events in flight")]
    public static partial void PipelineStopping(this ILogger logger, int inFlight);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Stopped after {Consumed} messages; {DeadLettered} dead-lettered, {Anomalies} anomalies published")]
    public static partial void PipelineStopped(this ILogger logger, long consumed, long deadLettered, long anomalies);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Progress: {Consumed} consumed, {Processed} processed, {Duplicates} duplicates, {Late} late, {DeadLettered} dead-lettered, {Anomalies} anomalies, {Accounts} accounts, {InFlight} in flight")]
    public static partial void Progress(this ILogger logger, long consumed, long processed, long duplicates, long late, long deadLettered, long anomalies, long accounts, int inFlight);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Dead-lettered {Topic} [{Partition}] @{Offset}: {ReasonCode}: {Reason}")]
    public static partial void DeadLettered(this ILogger logger, string topic, int partition, long offset, string reasonCode, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Instance type {InstanceType} is not in the GPU catalog; using what the events carry (gpu_model {GpuModel}). Add it to the catalog for FLOP estimates")]
    public static partial void UnknownInstanceType(this ILogger logger, string instanceType, string gpuModel);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Delivery to {Topic} failed ({Reason}); retrying, the input offset is held until it succeeds")]
    public static partial void PublishFailed(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Detection loops full: holding consumption until they have room (said at most every 30 s; the pipeline counters count every hold)")]
    public static partial void Paused(this ILogger logger);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Debug, Message = "Detection loops have room: consumption goes on after {PausedMs} ms")]
    public static partial void Resumed(this ILogger logger, long pausedMs);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Kafka: {Reason}")]
    public static partial void KafkaError(this ILogger logger, string reason);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "Shutdown left {InFlight} events unfinished; they are consumed again after restart")]
    public static partial void DrainIncomplete(this ILogger logger, int inFlight);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Anomaly for {AccountId} by {Detector}: score {Score:F1}, {Severity} ({DedupKey})")]
    public static partial void AnomalyRaised(this ILogger logger, string accountId, string detector, double score, string severity, string dedupKey);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Population model {ModelVersion} trained on {Accounts} accounts up to {EventTime:o} in {ElapsedMs} ms")]
    public static partial void PopulationModelTrained(this ILogger logger, long modelVersion, int accounts, DateTimeOffset eventTime, long elapsedMs);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Population model training on {Accounts} accounts failed; the previous model stays in use")]
    public static partial void PopulationTrainingFailed(this ILogger logger, Exception exception, int accounts);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Handing the alert {DedupKey} to the outbox failed; retrying in {DelayMs} ms, its event's offset is held")]
    public static partial void AlertHandOverFailed(this ILogger logger, Exception exception, string dedupKey, long delayMs);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Alert {DedupKey} for receiver {Receiver} went to the dead-letter topic: {ReasonCode}")]
    public static partial void AlertDeadLettered(this ILogger logger, string receiver, string reasonCode, string dedupKey);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Account cap {MaxTrackedAccounts} per detection loop exceeded: {Accounts} accounts held, every one busy; {Evicted} evicted so far")]
    public static partial void AccountCapExceeded(this ILogger logger, int maxTrackedAccounts, long accounts, long evicted);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "GPU catalog: {Models} GPU models, {InstanceTypes} instance types ({Source})")]
    public static partial void CatalogLoaded(this ILogger logger, int models, int instanceTypes, string source);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Health endpoints listening on {Prefix}")]
    public static partial void HealthListening(this ILogger logger, string prefix);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Health endpoints cannot listen on {Prefix}; set Health:Port or Health:Address, or Health:Enabled=false")]
    public static partial void HealthListenFailed(this ILogger logger, Exception exception, string prefix);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "{Probe} is now {Status}: {Checks}")]
    public static partial void HealthChanged(this ILogger logger, string probe, string status, string checks);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "{Probe} is now {Status}: {Checks}")]
    public static partial void HealthFailing(this ILogger logger, string probe, string status, string checks);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "Answering a health probe failed")]
    public static partial void HealthResponseFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Restored partition {Partition} from {StateTopic}: {Accounts} accounts, {Records} records read in {ElapsedMs} ms; input resumes at {Offsets}")]
    public static partial void PartitionRestored(this ILogger logger, int partition, string stateTopic, int accounts, long records, long elapsedMs, string offsets);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Restoring partition {Partition} ignored {Accounts} account records of checkpoints cut short (a worker stopped while writing them)")]
    public static partial void RestoreIgnoredIncomplete(this ILogger logger, int partition, int accounts);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Debug, Message = "Checkpoint of partition {Partition}: {Accounts} accounts written; input resumes at {Offsets}")]
    public static partial void CheckpointWritten(this ILogger logger, int partition, int accounts, string offsets);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Warning, Message = "Writing the checkpoint of partition {Partition} to {StateTopic} failed ({Reason}); the next checkpoint writes it again")]
    public static partial void CheckpointFailed(this ILogger logger, int partition, string stateTopic, string reason);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Warning, Message = "Waiting for input topics {Topics} to exist")]
    public static partial void WaitingForTopics(this ILogger logger, string topics);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Warning, Message = "Input topic {Topic} does not exist; it is not consumed until the worker restarts")]
    public static partial void InputTopicMissing(this ILogger logger, string topic);

    [LoggerMessage(EventId = 1026, Level = LogLevel.Information, Message = "Created the state topic {StateTopic} with {Partitions} partitions (compacted)")]
    public static partial void StateTopicCreated(this ILogger logger, string stateTopic, int partitions);

    [LoggerMessage(EventId = 1027, Level = LogLevel.Error, Message = "The state of account {AccountId} in partition {Partition} of the state topic is corrupt; the account starts afresh")]
    public static partial void StateRecordCorrupt(this ILogger logger, Exception exception, int partition, string accountId);

    [LoggerMessage(EventId = 1028, Level = LogLevel.Information, Message = "Read {Records} records of {LinksTopic}: {Accounts} accounts in the link graph, in {ElapsedMs} ms")]
    public static partial void LinksRestored(this ILogger logger, string linksTopic, long records, int accounts, long elapsedMs);

    [LoggerMessage(EventId = 1029, Level = LogLevel.Warning, Message = "A record could not be written to {Topic} ({Reason}); other workers miss this change")]
    public static partial void LinkRecordLost(this ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Skipped a corrupt record at {Topic} [{Partition}] @{Offset}")]
    public static partial void LinkRecordCorrupt(this ILogger logger, Exception exception, string topic, int partition, long offset);
}

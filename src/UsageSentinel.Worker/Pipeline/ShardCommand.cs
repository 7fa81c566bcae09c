using UsageSentinel.Core.Engine;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>A control message for a detection loop, ordered with the events in its channel.</summary>
internal sealed class ShardCommand
{
    private ShardCommand(ShardCommandKind kind, int partition)
    {
        Kind = kind;
        Partition = partition;
    }

    public ShardCommandKind Kind { get; }

    public int Partition { get; }

    public DetectionEngine<InputPosition>? Engine { get; private init; }

    public long Stream { get; private init; }

    public bool Idle { get; private init; }

    public CheckpointRequest? Request { get; private init; }

    /// <summary>The loop takes over a partition's engine (restored by the consume loop).</summary>
    public static ShardCommand AddTask(int partition, DetectionEngine<InputPosition> engine) =>
        new(ShardCommandKind.AddTask, partition) { Engine = engine };

    /// <summary>One input stream of a partition became idle (caught up) or active again.</summary>
    public static ShardCommand SetIdle(int partition, long stream, bool idle) =>
        new(ShardCommandKind.SetIdle, partition) { Stream = stream, Idle = idle };

    /// <summary>Judge the partition's linked-account groups again: figures of members on other workers arrived.</summary>
    public static ShardCommand EvaluateLinks(int partition) => new(ShardCommandKind.EvaluateLinks, partition);

    /// <summary>Export the partition's changes (and drop its engine when the request says so).</summary>
    public static ShardCommand Checkpoint(CheckpointRequest request) =>
        new(ShardCommandKind.Checkpoint, request.Partition) { Request = request };
}

/// <summary>What a <see cref="ShardCommand"/> asks.</summary>
internal enum ShardCommandKind
{
    AddTask,
    SetIdle,
    Checkpoint,
    EvaluateLinks,
}

/// <summary>
/// A checkpoint of one partition, asked by the consume loop: the input positions it had dispatched when it asked
/// (every event before them is applied or waiting in the engine), whether to drop the engine afterwards, and whether
/// to discard the state instead of exporting it (partitions lost to another worker).
/// </summary>
internal sealed record CheckpointRequest(int Partition, IReadOnlyDictionary<string, long> Dispatched, bool Remove, bool Discard)
{
    /// <summary>Gets the signal the loop sets once the snapshot is queued.</summary>
    public ManualResetEventSlim Exported { get; } = new();
}

/// <summary>The delivery of a checkpoint record.</summary>
internal sealed record CheckpointDelivery(int Partition, IReadOnlyDictionary<string, long> Restart, int Accounts, Confluent.Kafka.Error Error);

/// <summary>What the consume loop keeps about a partition it owns.</summary>
internal sealed class OwnedPartition(int partition, DetectionShard shard)
{
    public int Partition { get; } = partition;

    public DetectionShard Shard { get; } = shard;

    /// <summary>Gets, per input topic, the offset after the last message dispatched.</summary>
    public Dictionary<string, long> Next { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets, per input topic, whether the engine was told the stream is idle.</summary>
    public Dictionary<string, bool> Idle { get; } = new(StringComparer.Ordinal);
    /// <summary>Gets or sets the restart offsets of the last checkpoint written.</summary>
    public IReadOnlyDictionary<string, long> Written { get; set; } = new Dictionary<string, long>();

    public bool CheckpointInProgress { get; set; }

    /// <summary>Gets or sets when (<see cref="TimeProvider"/> timestamp) this partition's next checkpoint is due.</summary>
    public long CheckpointDue { get; set; }

    /// <summary>Gets or sets this worker's owner epoch of the partition, written on every state record.</summary>
    public long Epoch { get; set; }
}

/// <summary>What a detection loop exported for a <see cref="CheckpointRequest"/>.</summary>
/// <param name="Request">The request.</param>
/// <param name="Accounts">The accounts changed since the previous checkpoint, with their state.</param>
/// <param name="Clock">The engine clock.</param>
/// <param name="Restart">Per input topic, the offset to read again from after a restore.</param>
/// <param name="Outputs">The last output published when it was exported: it may be written once every output up to it is delivered.</param>
internal sealed record PartitionSnapshot(CheckpointRequest Request, IReadOnlyList<KeyValuePair<string, byte[]>> Accounts, byte[] Clock, IReadOnlyDictionary<string, long> Restart, long Outputs = 0);

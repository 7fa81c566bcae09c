using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;

namespace UsageSentinel.Worker.State;

/// <summary>
/// The records of the changelog topic. An account record is keyed by the account id and holds its
/// <c>AccountStateCodec</c> bytes. A checkpoint record, keyed <see cref="CheckpointKey"/> and marked by the
/// <see cref="KindHeader"/>, closes a checkpoint: the accounts written before it in the partition, the engine clock,
/// and per input partition the offset to read again from. Restore applies account records only up to the last
/// checkpoint record, so a checkpoint cut short by a crash is ignored as a whole.
/// </summary>
public static class StateRecords
{
    /// <summary>The header that tells a checkpoint record from an account record.</summary>
    public const string KindHeader = "usage-sentinel-record";

    /// <summary>
    /// The header naming the checkpoint a record belongs to (writer instance and sequence): a checkpoint record closes
    /// only its own account records, not those a dead owner left behind in a checkpoint it never finished.
    /// </summary>
    public const string CheckpointIdHeader = "usage-sentinel-checkpoint";

    /// <summary>The header value of an eviction record: an account evicted under the account cap, read back by offset; restore skips it.</summary>
    public const string EvictedKind = "evicted";

    /// <summary>
    /// The header carrying the owner epoch of a record (8 bytes, little-endian). Each new owner of a partition writes an
    /// owner record with the next epoch before it reads any input; restore ignores records of an older epoch that come
    /// after it — what a previous owner, still running, wrote after losing the partition.
    /// </summary>
    public const string EpochHeader = "usage-sentinel-epoch";

    /// <summary>The header value of an owner record.</summary>
    public const string OwnerKind = "owner";

    /// <summary>The key of owner records.</summary>
    public const string OwnerKey = "\u0000owner";

    /// <summary>The header value of a checkpoint record.</summary>
    public const string CheckpointKind = "checkpoint";

    /// <summary>The key of checkpoint records (compaction keeps the newest).</summary>
    public const string CheckpointKey = "\u0000checkpoint";

    private static ReadOnlySpan<byte> Magic => "USCP"u8;

    private const byte Version = 1;

    /// <summary>Gets whether a changelog message is a checkpoint record.</summary>
    /// <param name="headers">The message headers.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsCheckpoint(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(KindHeader, out var kind) && kind.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(CheckpointKind));

    /// <summary>Gets whether a changelog message is an eviction record.</summary>
    /// <param name="headers">The message headers.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsEviction(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(KindHeader, out var kind) && kind.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(EvictedKind));

    /// <summary>Headers for an eviction record.</summary>
    /// <returns>The headers.</returns>
    public static Headers EvictionHeaders() => new() { { KindHeader, Encoding.ASCII.GetBytes(EvictedKind) } };

    /// <summary>Headers for a checkpoint record.</summary>
    /// <param name="checkpointId">The checkpoint's id.</param>
    /// <param name="epoch">The writer's owner epoch.</param>
    /// <returns>The headers.</returns>
    public static Headers CheckpointHeaders(byte[] checkpointId, long epoch = 0) =>
        new() { { KindHeader, Encoding.ASCII.GetBytes(CheckpointKind) }, { CheckpointIdHeader, checkpointId }, { EpochHeader, BitConverter.GetBytes(epoch) } };

    /// <summary>Headers for an account record.</summary>
    /// <param name="checkpointId">The id of the checkpoint it belongs to.</param>
    /// <param name="epoch">The writer's owner epoch.</param>
    /// <returns>The headers.</returns>
    public static Headers AccountHeaders(byte[] checkpointId, long epoch = 0) => new() { { CheckpointIdHeader, checkpointId }, { EpochHeader, BitConverter.GetBytes(epoch) } };

    /// <summary>Headers for an owner record.</summary>
    /// <param name="epoch">The new owner's epoch.</param>
    /// <returns>The headers.</returns>
    public static Headers OwnerHeaders(long epoch) => new() { { KindHeader, Encoding.ASCII.GetBytes(OwnerKind) }, { EpochHeader, BitConverter.GetBytes(epoch) } };

    /// <summary>Gets whether a changelog message is an owner record.</summary>
    /// <param name="headers">The message headers.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsOwner(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(KindHeader, out var kind) && kind.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(OwnerKind));

    /// <summary>The owner epoch of a record; 0 when it has none.</summary>
    /// <param name="headers">The record's headers.</param>
    /// <returns>The epoch.</returns>
    public static long EpochOf(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(EpochHeader, out var epoch) && epoch.Length == 8 ? BitConverter.ToInt64(epoch) : 0;

    /// <summary>The checkpoint id of a record; empty when it has none.</summary>
    /// <param name="headers">The record's headers.</param>
    /// <returns>The id.</returns>
    public static byte[] CheckpointIdOf(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(CheckpointIdHeader, out var id) ? id : [];

    /// <summary>Encodes a checkpoint.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Encode(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Magic);
        buffer.Write([Version]);
        WriteInt32(buffer, checkpoint.Clock.Length);
        buffer.Write(checkpoint.Clock);
        WriteInt32(buffer, checkpoint.Offsets.Count);
        foreach (var (topic, offset) in checkpoint.Offsets.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var name = Encoding.UTF8.GetBytes(topic);
            WriteInt32(buffer, name.Length);
            buffer.Write(name);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), offset);
            buffer.Advance(8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a checkpoint.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a checkpoint of a known version.</exception>
    public static Checkpoint Decode(ReadOnlySpan<byte> data)
    {
        var position = 0;
        if (data.Length < 5 || !data[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Changelog checkpoint record: not a checkpoint (expected \"USCP\").");
        }

        if (data[4] != Version)
        {
            throw new InvalidDataException($"Changelog checkpoint record: version {data[4]} is not supported (this build reads {Version}).");
        }

        position = 5;
        var clock = Take(data, ref position, ReadInt32(data, ref position, "clock length"), "clock").ToArray();
        var count = ReadInt32(data, ref position, "offset count");
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var topic = Encoding.UTF8.GetString(Take(data, ref position, ReadInt32(data, ref position, "topic length"), "topic"));
            offsets[topic] = BinaryPrimitives.ReadInt64LittleEndian(Take(data, ref position, 8, "offset"));
        }

        return new Checkpoint(clock, offsets);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static int ReadInt32(ReadOnlySpan<byte> data, ref int position, string what)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref position, 4, what));
        return value >= 0 ? value : throw new InvalidDataException($"Changelog checkpoint record: {what} is negative at byte {position - 4}.");
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int position, int count, string what)
    {
        if (count > data.Length - position)
        {
            throw new InvalidDataException($"Changelog checkpoint record: {what} needs {count} bytes at byte {position}, {data.Length - position} left.");
        }

        var span = data.Slice(position, count);
        position += count;
        return span;
    }
}

/// <summary>A checkpoint of one partition's detection state.</summary>
/// <param name="Clock">The engine clock (<c>DetectionEngine.WriteClock</c>).</param>
/// <param name="Offsets">Per input topic, the offset of the partition to read again from.</param>
public sealed record Checkpoint(byte[] Clock, IReadOnlyDictionary<string, long> Offsets);

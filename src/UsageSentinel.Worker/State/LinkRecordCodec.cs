using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using UsageSentinel.Core.Linking;

namespace UsageSentinel.Worker.State;

/// <summary>
/// The records of the links topic: one <see cref="LinkRecord"/> each, keyed so that compaction keeps what a restarted
/// worker needs (every account–identifier pair, the newest figures per account, the newest incident state per group).
/// </summary>
public static class LinkRecordCodec
{
    /// <summary>The header naming the worker instance that wrote a record, so it skips its own.</summary>
    public const string OriginHeader = "usage-sentinel-origin";

    private const byte Version = 1;

    /// <summary>The compaction key of a record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(in LinkRecord record) => record.Type switch
    {
        LinkRecordType.Observed => string.Create(CultureInfo.InvariantCulture, $"o|{record.AccountId}|{(int)record.Kind}|{record.Key:x16}"),
        LinkRecordType.Figures => "f|" + record.AccountId,
        _ => "i|" + record.AccountId,
    };

    /// <summary>Encodes a record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Encode(in LinkRecord record)
    {
        var account = Encoding.UTF8.GetBytes(record.AccountId);
        var dedup = Encoding.UTF8.GetBytes(record.DedupKey ?? string.Empty);
        var bytes = new byte[1 + 1 + 4 + account.Length + 4 + 1 + 8 + 8 + 4 + 8 + 8 + 4 + dedup.Length + 1 + 4 + 1];
        var span = bytes.AsSpan();
        span[0] = Version;
        span[1] = (byte)record.Type;
        var at = 2;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], account.Length);
        at += 4;
        account.CopyTo(span[at..]);
        at += account.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], record.Partition);
        at += 4;
        span[at++] = (byte)record.Kind;
        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], record.Key);
        at += 8;
        BinaryPrimitives.WriteDoubleLittleEndian(span[at..], record.Flop);
        at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], record.Gpus);
        at += 4;
        BinaryPrimitives.WriteDoubleLittleEndian(span[at..], record.Resale);
        at += 8;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], record.Ticks);
        at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], dedup.Length);
        at += 4;
        dedup.CopyTo(span[at..]);
        at += dedup.Length;
        span[at++] = record.IncidentOpen ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], record.ComputeMask);
        at += 4;
        span[at] = record.ResaleRaised ? (byte)1 : (byte)0;
        return bytes;
    }

    /// <summary>Decodes a record.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The record.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a link record of a known version.</exception>
    public static LinkRecord Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            if (data[0] != Version)
            {
                throw new InvalidDataException($"Link record: version {data[0]} is not supported (this build reads {Version}).");
            }

            var type = (LinkRecordType)data[1];
            var at = 2;
            var accountLength = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            var account = Encoding.UTF8.GetString(data.Slice(at, accountLength));
            at += accountLength;
            var partition = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            var kind = (LinkKind)data[at++];
            var key = BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
            at += 8;
            var flop = BinaryPrimitives.ReadDoubleLittleEndian(data[at..]);
            at += 8;
            var gpus = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            var resale = BinaryPrimitives.ReadDoubleLittleEndian(data[at..]);
            at += 8;
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(data[at..]);
            at += 8;
            var dedupLength = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            var dedup = dedupLength == 0 ? null : Encoding.UTF8.GetString(data.Slice(at, dedupLength));
            at += dedupLength;
            var open = data[at++] == 1;
            var mask = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            var resaleRaised = data[at] == 1;
            if (type is < LinkRecordType.Observed or > LinkRecordType.Incident)
            {
                throw new InvalidDataException($"Link record: unknown type {(int)type}.");
            }

            return new LinkRecord(type, account, partition, kind, key, flop, gpus, resale, ticks, dedup, open, mask, resaleRaised);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InvalidDataException("Link record: truncated.", ex);
        }
        catch (IndexOutOfRangeException ex)
        {
            throw new InvalidDataException("Link record: truncated.", ex);
        }
    }
}

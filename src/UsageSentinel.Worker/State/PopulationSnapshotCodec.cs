using System.Buffers.Binary;

namespace UsageSentinel.Worker.State;

/// <summary>
/// The records of the population topic: one partition's population snapshot (16-feature vectors of its accounts at a
/// retraining boundary), in chunks small enough for Kafka's default message size, so every worker can train the
/// population model on every partition's accounts.
/// </summary>
public static class PopulationSnapshotCodec
{
    /// <summary>The most feature vectors in one record (~512 KB with 16 features).</summary>
    public const int RowsPerChunk = 8_000;

    private const byte Version = 1;

    /// <summary>Splits a snapshot into records.</summary>
    /// <param name="partition">The partition the accounts belong to.</param>
    /// <param name="eventTimeTicks">The event time the snapshot reflects.</param>
    /// <param name="features">The vectors, all of one length.</param>
    /// <returns>The record values, in order.</returns>
    public static IReadOnlyList<byte[]> Encode(int partition, long eventTimeTicks, IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var width = features.Count == 0 ? 0 : features[0].Length;
        var chunks = Math.Max(1, (features.Count + RowsPerChunk - 1) / RowsPerChunk);
        var records = new List<byte[]>(chunks);
        for (var c = 0; c < chunks; c++)
        {
            var rows = Math.Min(RowsPerChunk, features.Count - (c * RowsPerChunk));
            var bytes = new byte[1 + 4 + 8 + 4 + 4 + 4 + 4 + (rows * width * 4)];
            var span = bytes.AsSpan();
            span[0] = Version;
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], partition);
            BinaryPrimitives.WriteInt64LittleEndian(span[5..], eventTimeTicks);
            BinaryPrimitives.WriteInt32LittleEndian(span[13..], c);
            BinaryPrimitives.WriteInt32LittleEndian(span[17..], chunks);
            BinaryPrimitives.WriteInt32LittleEndian(span[21..], rows);
            BinaryPrimitives.WriteInt32LittleEndian(span[25..], width);
            var at = 29;
            for (var r = 0; r < rows; r++)
            {
                foreach (var value in features[(c * RowsPerChunk) + r])
                {
                    BinaryPrimitives.WriteSingleLittleEndian(span[at..], value);
                    at += 4;
                }
            }

            records.Add(bytes);
        }

        return records;
    }

    /// <summary>Decodes one record.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The chunk.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a population chunk of a known version.</exception>
    public static PopulationChunk Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 29 || data[0] != Version)
        {
            throw new InvalidDataException("Population record: not a population snapshot chunk of version 1.");
        }

        var partition = BinaryPrimitives.ReadInt32LittleEndian(data[1..]);
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(data[5..]);
        var index = BinaryPrimitives.ReadInt32LittleEndian(data[13..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(data[17..]);
        var rows = BinaryPrimitives.ReadInt32LittleEndian(data[21..]);
        var width = BinaryPrimitives.ReadInt32LittleEndian(data[25..]);
        if (rows < 0 || width < 0 || index < 0 || index >= count || data.Length != 29 + ((long)rows * width * 4))
        {
            throw new InvalidDataException($"Population record: {rows} rows of {width} features do not match its {data.Length} bytes.");
        }

        var features = new float[rows][];
        var at = 29;
        for (var r = 0; r < rows; r++)
        {
            var row = new float[width];
            for (var f = 0; f < width; f++)
            {
                row[f] = BinaryPrimitives.ReadSingleLittleEndian(data[at..]);
                at += 4;
            }

            features[r] = row;
        }

        return new PopulationChunk(partition, ticks, index, count, features);
    }
}

/// <summary>One chunk of a partition's population snapshot.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="EventTimeTicks">The event time the snapshot reflects.</param>
/// <param name="Index">The chunk's index.</param>
/// <param name="Count">The snapshot's number of chunks.</param>
/// <param name="Features">The chunk's vectors.</param>
public sealed record PopulationChunk(int Partition, long EventTimeTicks, int Index, int Count, IReadOnlyList<float[]> Features);

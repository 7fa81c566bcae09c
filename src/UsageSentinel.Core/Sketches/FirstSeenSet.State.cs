using System.Buffers.Binary;
using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Sketches;

/// <content>
/// Snapshot and restore for the account state codec. Layout: count (varint), cell count (varint; 0 = nothing seen,
/// end), then the cells as 8-byte words: the first count ones while exact, all 16 once a Bloom filter.
/// </content>
public partial struct FirstSeenSet
{
    internal void WriteState(StateWriter writer)
    {
        writer.WriteVarUInt64((ulong)_count);
        if (!HasCells)
        {
            writer.WriteVarUInt64(0);
            return;
        }

        var cells = Cells;
        writer.WriteVarUInt64((ulong)cells.Length);
        var stored = _count > ExactCapacity ? cells.Length : _count;
        for (var i = 0; i < stored; i++)
        {
            writer.WriteUInt64(cells[i]);
        }
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote into an empty set.</summary>
    internal void ReadState(ref StateReader reader)
    {
        var count = reader.ReadVarCount("first-seen count", int.MaxValue);
        var length = reader.ReadVarCount("first-seen cell count", ExactCapacity);
        var approximate = count > ExactCapacity;
        if (length == 0 ? count != 0 : (approximate ? length != ExactCapacity : count > length))
        {
            throw reader.Corrupt("first-seen set", $"{count} values do not fit {length} cells");
        }

        if (length == 0)
        {
            return;
        }

        // Two cells go inline, as they would have when added here; more to an array.
        _inlineUsed = length == TwoCells.Length;
        _cells = _inlineUsed ? null : new ulong[length];
        var cells = Cells;
        var bytes = reader.ReadBytes((approximate ? length : count) * sizeof(ulong), "first-seen cells");
        for (var i = 0; i * sizeof(ulong) < bytes.Length; i++)
        {
            cells[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * sizeof(ulong))..]);
        }

        _count = count;
    }
}

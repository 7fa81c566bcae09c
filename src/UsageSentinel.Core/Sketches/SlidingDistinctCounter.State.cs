using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Sketches;

/// <content>
/// Snapshot and restore for the account state codec. Layout: precision (byte), window slots (byte), cell count
/// (varint; 0 = nothing seen yet, end), dense (bool), sparse count (varint), current slot (zigzag varint), then the
/// cells as 8-byte words: all of them when dense, the first sparse-count ones when exact (the rest are zero).
/// </content>
public partial struct SlidingDistinctCounter
{
    internal void WriteState(StateWriter writer)
    {
        writer.WriteByte(_precision);
        writer.WriteByte(_windowSlots);
        if (_currentSlot == NoSlot)
        {
            writer.WriteVarUInt64(0);
            return;
        }

        var cells = Cells;
        writer.WriteVarUInt64((ulong)cells.Length);
        writer.WriteBool(_dense);
        writer.WriteVarUInt64((ulong)_sparseCount);
        writer.WriteVarInt64(_currentSlot);
        var stored = _dense ? cells.Length : _sparseCount;
        for (var i = 0; i < stored; i++)
        {
            writer.WriteUInt64(cells[i]);
        }
    }

    /// <summary>
    /// Restores what <see cref="WriteState"/> wrote into a counter that has seen nothing. A snapshot of another
    /// precision or window (the options changed) is read and dropped: the counter starts empty.
    /// </summary>
    internal void ReadState(ref StateReader reader)
    {
        var precision = reader.ReadByte("distinct counter precision", _precision);
        var windowSlots = reader.ReadByte("distinct counter window", _windowSlots);
        var length = reader.ReadVarCount("distinct counter cell count", 1 << (MaxPrecision - 2));
        if (length == 0)
        {
            return;
        }

        reader.RequireMore("distinct counter mode");
        var dense = reader.ReadBool("distinct counter mode");
        var sparseCount = reader.ReadVarCount("distinct counter sparse count", length);
        var currentSlot = reader.ReadVarInt64("distinct counter current slot", -2);
        if (currentSlot < 0 || (dense && (length != (1 << (precision - 2)) || sparseCount != 0)))
        {
            throw reader.Corrupt("distinct counter", "the mode, counts and slot do not agree");
        }

        var bytes = reader.ReadBytes((dense ? length : sparseCount) * sizeof(ulong), "distinct counter cells");
        if (precision != _precision || windowSlots != _windowSlots || length > DenseCells)
        {
            return; // configured differently now: the old registers mean nothing to this counter
        }

        // Two entries go inline, as they would have when counted here; more, or a dense sketch, to an array.
        _cells = length == TwoCells.Length && !dense ? null : new ulong[length];
        var cells = Cells;
        for (var i = 0; i * sizeof(ulong) < bytes.Length; i++)
        {
            cells[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * sizeof(ulong))..]);
        }

        _estimateValid = false;
        _dense = dense;
        _sparseCount = (ushort)sparseCount;
        _currentSlot = currentSlot;
    }
}

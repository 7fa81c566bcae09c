using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace UsageSentinel.Core.State;

/// <summary>
/// Writes the primitives of the account state format (see <see cref="AccountStateCodec"/>) into a pooled buffer:
/// little-endian fixed-width numbers, LEB128 varints (zigzag for signed values), length-prefixed UTF-8 strings, event
/// times relative to a base, and length-prefixed sections whose lengths are patched in when the section ends.
/// Not thread-safe; dispose to return the buffer to the pool.
/// </summary>
internal sealed class StateWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;

    /// <summary>Initializes a new instance of the <see cref="StateWriter"/> class.</summary>
    /// <param name="capacity">The initial buffer size.</param>
    public StateWriter(int capacity = 2_048) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    /// <summary>Gets or sets the event time that <see cref="WriteTicks"/> writes relative to.</summary>
    public long BaseTicks { get; set; }

    /// <summary>Gets the bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _position);

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>Writes a boolean as one byte, 0 or 1.</summary>
    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes 8 bytes, little-endian.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes 8 bytes, little-endian.</summary>
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes an IEEE double, 8 bytes little-endian, bit for bit.</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    /// <summary>Writes an IEEE single, 4 bytes little-endian, bit for bit.</summary>
    public void WriteSingle(float value) => BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);

    /// <summary>Writes an unsigned LEB128 varint: 7 bits a byte, low bits first, 1 to 10 bytes.</summary>
    public void WriteVarUInt64(ulong value)
    {
        var span = Reserve(VarSize(value));
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = unchecked((byte)(value | 0x80));
            value >>= 7;
        }

        span[i] = (byte)value;
    }

    /// <summary>Writes a signed value as a zigzag varint: small magnitudes of either sign take few bytes.</summary>
    public void WriteVarInt64(long value) => WriteVarUInt64(ZigZag(value));

    /// <summary>Writes a long whose "none" is <see cref="long.MinValue"/>: 0 for none, else its zigzag varint + 1.</summary>
    public void WriteOptionalInt64(long value) => WriteVarUInt64(value == long.MinValue ? 0 : ZigZag(value) + 1);

    /// <summary>
    /// Writes an event time (UTC ticks): 0 for <see cref="long.MinValue"/> (none), else the zigzag varint of its
    /// distance from <see cref="BaseTicks"/> + 2; 1 announces an absolute 8-byte value for distances too large.
    /// </summary>
    public void WriteTicks(long ticks)
    {
        if (ticks == long.MinValue)
        {
            WriteByte(0);
            return;
        }

        var zigzag = ZigZag(unchecked(ticks - BaseTicks));
        if (zigzag > ulong.MaxValue - 2)
        {
            WriteByte(1);
            WriteInt64(ticks);
            return;
        }

        WriteVarUInt64(zigzag + 2);
    }

    /// <summary>Writes a string as a varint of its UTF-8 length + 1, then the UTF-8 bytes; 0 for null.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt64((ulong)length + 1);
        Encoding.UTF8.GetBytes(value, Reserve(length));
    }

    /// <summary>Starts a length-prefixed section; pass the result to <see cref="EndSection"/>.</summary>
    /// <returns>Where the section's payload starts.</returns>
    public int BeginSection()
    {
        WriteByte(0); // one byte of length, widened by EndSection if the payload needs more
        return _position;
    }

    /// <summary>Ends a section: writes its payload length as a varint in front of it.</summary>
    /// <param name="start">What <see cref="BeginSection"/> returned.</param>
    public void EndSection(int start)
    {
        var length = (ulong)(_position - start);
        var size = VarSize(length);
        if (size > 1)
        {
            Reserve(size - 1);
            _buffer.AsSpan(start, (int)length).CopyTo(_buffer.AsSpan(start + size - 1));
        }

        var i = start - 1;
        while (length >= 0x80)
        {
            _buffer[i++] = unchecked((byte)(length | 0x80));
            length >>= 7;
        }

        _buffer[i] = (byte)length;
    }

    /// <summary>Writes an empty section: an absent optional object.</summary>
    public void WriteAbsentSection() => WriteByte(0);

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Gets the zigzag form of a signed value: 0, −1, 1, −2, … map to 0, 1, 2, 3, ….</summary>
    public static ulong ZigZag(long value) => unchecked((ulong)((value << 1) ^ (value >> 63)));

    private static int VarSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _position < count)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
            _buffer.AsSpan(0, _position).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }
}

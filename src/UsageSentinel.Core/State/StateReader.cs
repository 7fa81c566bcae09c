using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace UsageSentinel.Core.State;

/// <summary>
/// Reads what <see cref="StateWriter"/> writes, within the current section. A field asked for when its section has
/// ended takes the default the caller gives (a section written by an older writer); a field that starts in the section
/// but does not fit in it, a section longer than the data, or an impossible value is an
/// <see cref="InvalidDataException"/> naming the section and the field. Never reads outside the span.
/// </summary>
internal ref struct StateReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _end;
    private string _section;

    /// <summary>Initializes a new instance of the <see cref="StateReader"/> struct over all of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="section">The name of the outermost section, for messages.</param>
    public StateReader(ReadOnlySpan<byte> data, string section)
    {
        _data = data;
        _end = data.Length;
        _section = section;
    }

    /// <summary>Gets or sets the event time that <see cref="ReadTicks"/> reads relative to.</summary>
    public long BaseTicks { get; set; }

    /// <summary>Gets the read position from the start of the data.</summary>
    public readonly int Position => _position;

    /// <summary>Gets a value indicating whether the current section has no more fields.</summary>
    public readonly bool AtSectionEnd => _position >= _end;

    /// <summary>Gets the bytes left in the current section.</summary>
    public readonly int Remaining => _end - _position;

    /// <summary>Reads one byte; <paramref name="absent"/> past the section's end.</summary>
    public byte ReadByte(string what, byte absent = 0) => AtSectionEnd ? absent : Take(1, what)[0];

    /// <summary>Reads a boolean byte, 0 or 1; <paramref name="absent"/> past the section's end.</summary>
    public bool ReadBool(string what, bool absent = false)
    {
        if (AtSectionEnd)
        {
            return absent;
        }

        var value = Take(1, what)[0];
        return value <= 1 ? value == 1 : throw Corrupt(what, $"a boolean byte is {value}");
    }

    /// <summary>Reads 8 bytes, little-endian; <paramref name="absent"/> past the section's end.</summary>
    public long ReadInt64(string what, long absent = 0) => AtSectionEnd ? absent : BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

    /// <summary>Reads 8 bytes, little-endian; <paramref name="absent"/> past the section's end.</summary>
    public ulong ReadUInt64(string what, ulong absent = 0) => AtSectionEnd ? absent : BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    /// <summary>Reads an IEEE double; <paramref name="absent"/> past the section's end.</summary>
    public double ReadDouble(string what, double absent = 0) => AtSectionEnd ? absent : BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

    /// <summary>Reads an IEEE single; <paramref name="absent"/> past the section's end.</summary>
    public float ReadSingle(string what, float absent = 0) => AtSectionEnd ? absent : BinaryPrimitives.ReadSingleLittleEndian(Take(4, what));

    /// <summary>Reads an unsigned varint; <paramref name="absent"/> past the section's end.</summary>
    public ulong ReadVarUInt64(string what, ulong absent = 0) => AtSectionEnd ? absent : TakeVarint(what);

    /// <summary>Reads a zigzag varint; <paramref name="absent"/> past the section's end.</summary>
    public long ReadVarInt64(string what, long absent = 0) => AtSectionEnd ? absent : UnZigZag(TakeVarint(what));

    /// <summary>Reads a zigzag varint that must fit an <see cref="int"/>; <paramref name="absent"/> past the section's end.</summary>
    public int ReadVarInt32(string what, int absent = 0)
    {
        if (AtSectionEnd)
        {
            return absent;
        }

        var value = UnZigZag(TakeVarint(what));
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Corrupt(what, $"{value} does not fit 32 bits");
    }

    /// <summary>Reads an unsigned varint in [0, <paramref name="max"/>]; <paramref name="absent"/> past the section's end.</summary>
    public int ReadVarCount(string what, int max, int absent = 0)
    {
        if (AtSectionEnd)
        {
            return absent;
        }

        var value = TakeVarint(what);
        return value <= (ulong)max ? (int)value : throw Corrupt(what, $"{value} is more than {max}");
    }

    /// <summary>Reads what <see cref="StateWriter.WriteOptionalInt64"/> writes; <paramref name="absent"/> past the section's end.</summary>
    public long ReadOptionalInt64(string what, long absent = long.MinValue)
    {
        if (AtSectionEnd)
        {
            return absent;
        }

        var raw = TakeVarint(what);
        return raw == 0 ? long.MinValue : UnZigZag(raw - 1);
    }

    /// <summary>Reads what <see cref="StateWriter.WriteTicks"/> writes; <paramref name="absent"/> past the section's end.</summary>
    public long ReadTicks(string what, long absent = long.MinValue)
    {
        if (AtSectionEnd)
        {
            return absent;
        }

        var raw = TakeVarint(what);
        return raw switch
        {
            0 => long.MinValue,
            1 => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what)),
            _ => unchecked(BaseTicks + UnZigZag(raw - 2)),
        };
    }

    /// <summary>Reads a length-prefixed UTF-8 string or null; <paramref name="absent"/> past the section's end.</summary>
    public string? ReadString(string what, string? absent = null)
    {
        if (AtSectionEnd)
        {
            return absent;
        }

        var raw = TakeVarint(what);
        if (raw == 0)
        {
            return null;
        }

        if (raw - 1 > (ulong)Remaining)
        {
            throw Truncated(what, raw - 1);
        }

        var bytes = Take((int)(raw - 1), what);
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : throw Corrupt(what, "the text is not valid UTF-8");
    }

    /// <summary>Reads a string that must not be null.</summary>
    public string ReadRequiredString(string what) =>
        ReadString(what) ?? throw Corrupt(what, AtSectionEnd ? "it is missing" : "it is null");

    /// <summary>Reads a count of elements of at least <paramref name="minElementBytes"/> each: at most what the section can hold.</summary>
    public int ReadElementCount(string what, int minElementBytes)
    {
        if (AtSectionEnd)
        {
            return 0;
        }

        var count = TakeVarint(what);
        return count <= (ulong)(Remaining / minElementBytes) ? (int)count : throw Corrupt(what, $"{count} elements cannot fit in the {Remaining} bytes left");
    }

    /// <summary>
    /// Enters a length-prefixed section; <see langword="false"/> (nothing entered) when it is empty, i.e. an absent
    /// optional object, or missing at the end of the enclosing section.
    /// </summary>
    /// <param name="name">The section's name, for messages.</param>
    /// <param name="outer">What to pass to <see cref="ExitSection"/>.</param>
    public bool TryEnterSection(string name, out SectionScope outer)
    {
        outer = default;
        if (AtSectionEnd)
        {
            return false;
        }

        var length = TakeVarint(name + " length");
        if (length == 0)
        {
            return false;
        }

        if (length > (ulong)Remaining)
        {
            throw Truncated(name, length);
        }

        outer = new SectionScope(_end, _section);
        _end = _position + (int)length;
        _section = name;
        return true;
    }

    /// <summary>Leaves a section entered with <see cref="TryEnterSection"/>, skipping fields this reader does not know.</summary>
    public void ExitSection(in SectionScope outer)
    {
        _position = _end;
        _end = outer.End;
        _section = outer.Section;
    }

    /// <summary>Skips a section this reader does not know, e.g. one a newer writer appended.</summary>
    public void SkipSection(string name)
    {
        if (TryEnterSection(name, out var outer))
        {
            ExitSection(outer);
        }
    }

    /// <summary>Throws unless the section has another field: for the parts of a field, e.g. the elements of a list.</summary>
    public readonly void RequireMore(string what)
    {
        if (AtSectionEnd)
        {
            throw Truncated(what, 1);
        }
    }

    /// <summary>Enters a section that must be present and not empty, e.g. an element of a list.</summary>
    public SectionScope EnterRequiredSection(string name) =>
        TryEnterSection(name, out var outer) ? outer : throw Corrupt(name, "the section is missing or empty");

    /// <summary>Reads <paramref name="count"/> raw bytes, which must all be in the section.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count, string what) => Take(count, what);

    /// <summary>Creates the exception for a value no writer writes.</summary>
    public readonly InvalidDataException Corrupt(string what, string why) =>
        new($"Account state is corrupt in section '{_section}' reading {what} at byte {_position}: {why}.");

    private readonly InvalidDataException Truncated(string what, ulong needed) =>
        new($"Account state is truncated in section '{_section}' reading {what} at byte {_position}: {needed} bytes needed, {Remaining} left.");

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw Truncated(what, (ulong)count);
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private ulong TakeVarint(string what)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _end)
            {
                throw Truncated(what, 1);
            }

            var b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                throw Corrupt(what, "a varint overflows 64 bits");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Corrupt(what, "a varint is longer than 10 bytes");
    }

    private static long UnZigZag(ulong value) => unchecked((long)(value >> 1) ^ -(long)(value & 1));

    /// <summary>What a section hides of the one around it.</summary>
    internal readonly record struct SectionScope(int End, string Section);
}

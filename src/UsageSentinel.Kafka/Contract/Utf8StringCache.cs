using System.Buffers.Binary;
using System.Text;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// A small, bounded, thread-safe cache of short ASCII strings keyed by their UTF-8 bytes, for the values of the
/// contract's small vocabularies (regions, instance types, currencies, countries, …), so that parsing a message
/// does not allocate a new copy of <c>"us-east-1"</c> each time.
/// </summary>
/// <remarks>
/// A fixed table of slots, one string per slot, chosen by a hash of the bytes; a miss or a collision simply
/// allocates and replaces the slot's string, so the cache never holds more than <see cref="SlotCount"/> strings
/// of at most <see cref="MaxLength"/> characters, whatever the input. A hit is checked byte for byte against the
/// cached string, so a collision can cost an allocation but never return a wrong string. Slots are read and
/// written with <see cref="Volatile"/>, so threads may share the cache without locks.
/// </remarks>
internal static class Utf8StringCache
{
    /// <summary>The longest value cached, in bytes; longer values are created each time.</summary>
    public const int MaxLength = 32;

    /// <summary>The number of slots (a power of two).</summary>
    public const int SlotCount = 1024;

    private static readonly string?[] Slots = new string?[SlotCount];

    /// <summary>Returns the string of <paramref name="utf8"/> (valid UTF-8), from the cache when it is there.</summary>
    public static string GetOrCreate(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        ref string? slot = ref Slots[Hash(utf8) & (SlotCount - 1)];
        string? cached = Volatile.Read(ref slot);

        // Ascii.Equals is false for any non-ASCII byte, so only ASCII strings ever hit.
        if (cached is not null && Ascii.Equals(utf8, cached))
        {
            return cached;
        }

        string created = Encoding.UTF8.GetString(utf8);
        if (created.Length == utf8.Length)
        {
            // Same length in UTF-16 and UTF-8: ASCII, so it can hit later.
            Volatile.Write(ref slot, created);
        }

        return created;
    }

    /// <summary>A cheap hash of the length and the first and last (up to) eight bytes.</summary>
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        ulong head, tail;
        if (utf8.Length >= sizeof(ulong))
        {
            head = BinaryPrimitives.ReadUInt64LittleEndian(utf8);
            tail = BinaryPrimitives.ReadUInt64LittleEndian(utf8[^sizeof(ulong)..]);
        }
        else
        {
            head = 0;
            foreach (byte b in utf8)
            {
                head = (head << 8) | b;
            }

            tail = 0;
        }

        ulong mixed = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)utf8.Length;
        return (int)(mixed >> 40);
    }
}

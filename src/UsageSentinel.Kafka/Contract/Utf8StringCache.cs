using System.Buffers.Binary;
using System.Text;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// A bounded, thread-safe cache of short ASCII strings keyed by their UTF-8 bytes, so that parsing a message does
/// not allocate a new copy of a value that earlier messages carried: <see cref="Vocabulary"/> for the contract's
/// small vocabularies (regions, instance types, currencies, countries, …), <see cref="Ids"/> for identifiers that
/// repeat across events (accounts, instances, principals, source addresses, fingerprints).
/// </summary>
/// <remarks>
/// A fixed table of slots, one string per slot, chosen by a hash of the bytes; a miss or a collision simply
/// allocates and replaces the slot's string, so a cache never holds more than <see cref="SlotCount"/> strings
/// of at most <see cref="MaxLength"/> characters, whatever the input. A hit is checked byte for byte against the
/// cached string, so a collision can cost an allocation but never return a wrong string. Slots are read and
/// written with <see cref="Volatile"/>, so threads may share a cache without locks.
/// </remarks>
internal sealed class Utf8StringCache
{
    private readonly string?[] _slots;
    private readonly int _mask;

    /// <summary>Creates a cache of <paramref name="slotCount"/> slots (a power of two).</summary>
    public Utf8StringCache(int slotCount, int maxLength)
    {
        if (slotCount <= 0 || (slotCount & (slotCount - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slotCount), slotCount, "The slot count must be a power of two.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        _slots = new string?[slotCount];
        _mask = slotCount - 1;
        MaxLength = maxLength;
    }

    /// <summary>Values of the small vocabularies: 1,024 slots of up to 32 bytes.</summary>
    public static Utf8StringCache Vocabulary { get; } = new(slotCount: 1 << 10, maxLength: 32);

    /// <summary>
    /// Repeating identifiers: 1,024 slots of up to 64 bytes, so the table stays in the core's nearest caches and keeps
    /// the ids that repeat within a few hundred events (an account's burst, a busy principal or instance).
    /// </summary>
    /// <remarks>
    /// It had 65,536 slots until session 14. With 125,000 accounts in the benchmark replay nearly every lookup then
    /// missed: a cache miss on a 512 KB table, another on the string compared, a write barrier storing the new string
    /// into a table on the large object heap, and the string kept alive through the next collection. A 5,000,000-event
    /// replay with two loops took 10.32-10.46 s with 256 to 4,096 slots against 11.23 s with 65,536 (4 alternating
    /// rounds, same output); see benchmarks/README.md.
    /// </remarks>
    public static Utf8StringCache Ids { get; } = new(slotCount: 1 << 10, maxLength: 64);

    /// <summary>The longest value cached, in bytes; longer values are created each time.</summary>
    public int MaxLength { get; }

    /// <summary>The number of slots.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Returns the string of <paramref name="utf8"/> (valid UTF-8), from the cache when it is there.</summary>
    public string GetOrCreate(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        ref string? slot = ref _slots[Hash(utf8) & _mask];
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

    /// <summary>
    /// A cheap hash of the length and every byte: eight bytes at a time (the last word overlapping the one before when
    /// the length is not a multiple of eight), each folded in with a multiply.
    /// </summary>
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15UL;
        ulong mixed = (ulong)utf8.Length;
        if (utf8.Length >= sizeof(ulong))
        {
            int last = utf8.Length - sizeof(ulong);
            for (int offset = 0; offset < last; offset += sizeof(ulong))
            {
                mixed = (mixed ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8[offset..])) * Multiplier;
            }

            mixed = (mixed ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8[last..])) * Multiplier;
        }
        else
        {
            ulong word = 0;
            foreach (byte b in utf8)
            {
                word = (word << 8) | b;
            }

            mixed = (mixed ^ word) * Multiplier;
        }

        // The high bits have seen every input bit.
        return (int)((mixed ^ (mixed >> 29)) >> 32);
    }
}

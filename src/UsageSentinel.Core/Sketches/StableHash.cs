using System.Numerics;

namespace UsageSentinel.Core.Sketches;

/// <summary>
/// A stable 64-bit hash of text for sketches: the same value in every process, on every machine and in every run,
/// unlike <see cref="string.GetHashCode()"/>, which is randomized per process.
/// </summary>
/// <remarks>
/// The UTF-16 code units are packed four to a 64-bit block (independent of byte order), each block is
/// multiplied, rotated and folded into the state, and the state ends in a full-avalanche finalizer, so every input
/// bit affects every output bit. Not a cryptographic hash: sketches need uniformity, not collision resistance.
/// </remarks>
internal static class StableHash
{
    private const ulong Seed = 0x2545F4914F6CDD1DUL;
    private const ulong Odd1 = 0x9E3779B97F4A7C15UL;
    private const ulong Odd2 = 0xD6E8FEB86659FD93UL;
    private const ulong Odd3 = 0xFF51AFD7ED558CCDUL;
    private const ulong Mix1 = 0xBF58476D1CE4E5B9UL;
    private const ulong Mix2 = 0x94D049BB133111EBUL;

    /// <summary>Hashes the UTF-16 code units of <paramref name="value"/>.</summary>
    /// <param name="value">The text; empty is allowed.</param>
    /// <returns>A well-mixed 64-bit hash.</returns>
    public static ulong Of(ReadOnlySpan<char> value)
    {
        unchecked
        {
            var state = Seed ^ ((ulong)value.Length * Odd1);
            var i = 0;
            for (; i + 4 <= value.Length; i += 4)
            {
                var block = value[i]
                    | ((ulong)value[i + 1] << 16)
                    | ((ulong)value[i + 2] << 32)
                    | ((ulong)value[i + 3] << 48);
                state = Round(state, block);
            }

            if (i < value.Length)
            {
                ulong tail = 0;
                for (var shift = 0; i < value.Length; i++, shift += 16)
                {
                    tail |= (ulong)value[i] << shift;
                }

                state = Round(state, tail ^ Odd3);
            }

            return Mix(state);
        }
    }

    /// <summary>
    /// A bijective avalanche of 64 bits: nearby inputs (sequential ids, small integers) map to unrelated outputs.
    /// Sketches apply it to every hash they are given, so callers may pass any distinct 64-bit identifiers.
    /// </summary>
    /// <param name="value">The value to mix.</param>
    /// <returns>The mixed value; distinct inputs give distinct outputs.</returns>
    public static ulong Mix(ulong value)
    {
        unchecked
        {
            value ^= value >> 30;
            value *= Mix1;
            value ^= value >> 27;
            value *= Mix2;
            value ^= value >> 31;
            return value;
        }
    }

    private static ulong Round(ulong state, ulong block)
    {
        unchecked
        {
            block *= Odd2;
            block = BitOperations.RotateLeft(block, 31);
            block *= Odd1;
            state ^= block;
            return (BitOperations.RotateLeft(state, 27) * Odd1) + Odd2;
        }
    }
}

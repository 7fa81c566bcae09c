using System.Diagnostics.CodeAnalysis;

namespace UsageSentinel.Core.Sketches;

/// <summary>
/// Answers "is this value new for the account?" (a new region, GPU model, country, …) in at most 128 bytes:
/// the first 16 distinct values exactly, then a 1,024-bit Bloom filter.
/// </summary>
/// <remarks>
/// <para>
/// While <see cref="Count"/> ≤ 16 the hashes are kept exactly, the first two inline in the set itself, then in an array
/// that grows 4, 8, 16 entries, and the answer is exact (64-bit hash collisions aside). The 17th distinct value turns the same 128 bytes into a Bloom filter with 5
/// probes per value (double hashing over the re-mixed hash), holding all values seen so far.
/// </para>
/// <para>
/// A Bloom filter never forgets, so a value seen before is never reported new; a value never seen may be wrongly
/// reported as seen ("not new") with probability about (1 − e^(−5n/1024))^5 after n distinct values: 0.006% at 32,
/// 0.14% at 64, 0.9% at 100, 2.2% at 128, 9% at 200. Accounts with hundreds of distinct values of one kind should not
/// rely on novelty of that kind. Values are never forgotten; the set does not slide in time.
/// </para>
/// <para>
/// Not thread-safe. Memory: 32 bytes, plus from the third value an array of 32 to 128 bytes (+24 bytes of header): 184
/// bytes at most. No allocation per call once the array holds 16 entries; none before the third value. A mutable
/// struct (<c>default</c> is the empty set), so an owner holds it inline: keep it in a non-readonly field and never
/// copy it.
/// </para>
/// </remarks>
public partial struct FirstSeenSet
{
    /// <summary>How many distinct values are remembered exactly before the set turns into a Bloom filter.</summary>
    public const int ExactCapacity = 16;

    /// <summary>The Bloom filter's size in bits (the same 128 bytes as the exact array).</summary>
    public const int FilterBits = ExactCapacity * 64;

    private const int Probes = 5;
    private ulong[]? _cells;
    private int _count;

    // Whether the first values are held inline (no array yet); false while the set is empty, as a new one.
    private bool _inlineUsed;
    private TwoCells _inline;

    /// <summary>Gets the number of values reported new so far.</summary>
    public int Count => _count;

    /// <summary>Gets a value indicating whether answers are approximate (more than <see cref="ExactCapacity"/> values seen).</summary>
    public bool IsApproximate => _count > ExactCapacity;

    /// <summary>Gets the bytes of storage currently allocated (array payload, headers excluded).</summary>
    /// <remarks>Values held inline count nothing: they are part of the set's own size.</remarks>
    public int StorageBytes => _cells is null ? 0 : _cells.Length * sizeof(ulong);

    /// <summary>Gets whether the set holds anything: inline values or an array.</summary>
    private bool HasCells => _cells is not null || _inlineUsed;

    /// <summary>Gets the cells: the array once there is one, else the two held inline, else none.</summary>
    [UnscopedRef]
    private Span<ulong> Cells => _cells is not null ? _cells : _inlineUsed ? _inline : [];

    /// <summary>Records a value given as text; see <see cref="AddIsNew(ulong)"/>.</summary>
    /// <param name="value">The value's text, hashed with <see cref="SlidingDistinctCounter.Hash"/>.</param>
    /// <returns>Whether the value was new.</returns>
    public bool AddIsNew(ReadOnlySpan<char> value) => AddIsNew(StableHash.Of(value));

    /// <summary>Records a value by its 64-bit hash (or any distinct 64-bit identifier).</summary>
    /// <param name="hash">The value's hash, e.g. from <see cref="SlidingDistinctCounter.Hash"/>.</param>
    /// <returns>
    /// <see langword="true"/> when the value had not been seen; <see langword="false"/> when it had, or, once
    /// <see cref="IsApproximate"/>, rarely for a new value (see the remarks).
    /// </returns>
    public bool AddIsNew(ulong hash)
    {
        var mixed = StableHash.Mix(hash);
        if (_count > ExactCapacity)
        {
            if (!SetProbes(_cells!, mixed))
            {
                return false;
            }

            _count = _count == int.MaxValue ? _count : _count + 1;
            return true;
        }

        _inlineUsed |= _cells is null;
        var cells = Cells;
        if (cells[.._count].Contains(mixed))
        {
            return false;
        }

        if (_count == ExactCapacity)
        {
            ConvertToFilter();
            SetProbes(_cells!, mixed);
        }
        else
        {
            if (_count == cells.Length)
            {
                var grown = new ulong[cells.Length * 2];
                cells.CopyTo(grown);
                _cells = grown;
                _inlineUsed = false;
                _inline = default;
                cells = grown;
            }

            cells[_count] = mixed;
        }

        _count++;
        return true;
    }

    /// <summary>Whether a value has been seen, without recording it.</summary>
    /// <param name="hash">The value's hash.</param>
    /// <returns>Whether it was seen (once approximate, possibly a false positive).</returns>
    public bool Contains(ulong hash)
    {
        if (!HasCells)
        {
            return false;
        }

        var mixed = StableHash.Mix(hash);
        if (_count <= ExactCapacity)
        {
            return Cells[.._count].Contains(mixed);
        }

        for (var i = 0; i < Probes; i++)
        {
            var bit = Probe(mixed, i);
            if ((_cells![bit >> 6] & (1UL << bit)) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private void ConvertToFilter()
    {
        Span<ulong> exact = stackalloc ulong[ExactCapacity];
        _cells.AsSpan(0, ExactCapacity).CopyTo(exact); // 16 exact values: an array by now, never inline
        Array.Clear(_cells!);
        foreach (var mixed in exact)
        {
            SetProbes(_cells!, mixed);
        }
    }

    /// <summary>Sets the value's bits; returns whether any was unset (the value is new).</summary>
    private static bool SetProbes(ulong[] bits, ulong mixed)
    {
        var changed = false;
        for (var i = 0; i < Probes; i++)
        {
            var bit = Probe(mixed, i);
            var mask = 1UL << bit;
            ref var word = ref bits[bit >> 6];
            changed |= (word & mask) == 0;
            word |= mask;
        }

        return changed;
    }

    private static int Probe(ulong mixed, int i)
    {
        unchecked
        {
            var first = (uint)mixed;
            var step = (uint)(mixed >> 32) | 1;
            return (int)((first + ((uint)i * step)) % FilterBits);
        }
    }
}

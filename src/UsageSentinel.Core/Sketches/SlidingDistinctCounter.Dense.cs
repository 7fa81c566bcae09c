using System.Numerics;
using System.Runtime.InteropServices;

namespace UsageSentinel.Core.Sketches;

/// <content>
/// Sketch mode: 16-bit registers laid out as <c>rank1:4 stamp1:4 rank2:4 stamp2:4</c>, rank 0 meaning empty.
/// Invariant: when the second entry is set, its rank is smaller and its slot later than the first's.
/// </content>
public partial struct SlidingDistinctCounter
{
    private Span<ushort> DenseRegisters => MemoryMarshal.Cast<ulong, ushort>(_cells.AsSpan());

    private void AddDense(ulong mixed, int age)
    {
        var index = (int)(mixed >> (64 - _precision));
        var rank = Math.Min(BitOperations.LeadingZeroCount(mixed << _precision) + 1, MaxRank);
        ref var register = ref DenseRegisters[index];
        int value = register;
        var rank1 = value >> 12;
        var rank2 = (value >> 4) & 0xF;
        if (rank1 == 0)
        {
            register = Pack(rank, age, 0, 0);
            return;
        }

        var age1 = AgeOf((value >> 8) & 0xF);
        var age2 = AgeOf(value & 0xF);
        if (rank >= rank1)
        {
            if (age <= age1)
            {
                // Newer and at least as large: it replaces the first entry and any second entry not newer than it.
                register = rank2 != 0 && age2 < age ? Pack(rank, age, rank2, age2) : Pack(rank, age, 0, 0);
            }
            else if (rank > rank1)
            {
                // A late value, larger but older: the old first entry becomes its successor.
                register = Pack(rank, age, rank1, age1);
            }

            return;
        }

        if (age >= age1)
        {
            return; // smaller and not newer: it can never be the window's maximum
        }

        if (rank2 == 0 || rank > rank2 || (rank == rank2 && age < age2))
        {
            register = Pack(rank1, age1, rank, age);
        }

        // Otherwise a third candidate (smaller than both, newer than both): dropped, see the remarks.
    }

    private void ExpireDense(int elapsed)
    {
        var any = false;
        foreach (ref var register in DenseRegisters)
        {
            int value = register;
            if (value == 0)
            {
                continue;
            }

            if (AgeOf((value >> 8) & 0xF) + elapsed < _windowSlots)
            {
                any = true; // the second entry is newer, so it is live too
            }
            else if ((value & 0xF0) != 0 && AgeOf(value & 0xF) + elapsed < _windowSlots)
            {
                register = (ushort)((value & 0xFF) << 8);
                any = true;
            }
            else
            {
                register = 0;
            }
        }

        if (!any)
        {
            _dense = false;
            _sparseCount = 0;
        }
    }

    private double EstimateDense(int lag)
    {
        Span<int> counts = stackalloc int[MaxRank + 1];
        foreach (int value in DenseRegisters)
        {
            var rank1 = value >> 12;
            var rank2 = (value >> 4) & 0xF;
            if (rank1 != 0 && AgeOf((value >> 8) & 0xF) + lag < _windowSlots)
            {
                counts[rank1]++;
            }
            else if (rank2 != 0 && AgeOf(value & 0xF) + lag < _windowSlots)
            {
                counts[rank2]++;
            }
            else
            {
                counts[0]++;
            }
        }

        return HyperLogLogEstimator.Estimate(counts, Registers);
    }

    private ushort Pack(int rank1, int age1, int rank2, int age2) =>
        (ushort)((rank1 << 12) | (StampOf(age1) << 8) | (rank2 << 4) | (rank2 == 0 ? 0 : StampOf(age2)));
}

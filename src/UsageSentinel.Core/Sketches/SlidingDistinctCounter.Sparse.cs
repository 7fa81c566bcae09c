namespace UsageSentinel.Core.Sketches;

/// <content>Exact mode: fingerprints with the slot each was last seen in.</content>
public partial struct SlidingDistinctCounter
{
    // An entry is the mixed hash with its low 4 bits replaced by the slot stamp.
    private void AddSparse(ulong mixed, int age)
    {
        var cells = Cells;
        var key = mixed & ~StampMask;
        for (var i = 0; i < _sparseCount; i++)
        {
            if ((cells[i] & ~StampMask) == key)
            {
                if (age < AgeOf((int)(cells[i] & StampMask)))
                {
                    cells[i] = key | (uint)StampOf(age);
                }

                return;
            }
        }

        if (_sparseCount == cells.Length)
        {
            if (cells.Length == DenseCells)
            {
                ConvertToDense();
                AddDense(mixed, age);
                return;
            }

            var grown = new ulong[Math.Min(cells.Length * 2, DenseCells)];
            cells.CopyTo(grown);
            _cells = grown;
            _inline = default;
            cells = grown;
        }

        cells[_sparseCount++] = key | (uint)StampOf(age);
    }

    private void ExpireSparse(int elapsed)
    {
        var cells = Cells;
        var kept = 0;
        for (var i = 0; i < _sparseCount; i++)
        {
            if (AgeOf((int)(cells[i] & StampMask)) + elapsed < _windowSlots)
            {
                cells[kept++] = cells[i];
            }
        }

        cells[kept.._sparseCount].Clear();
        _sparseCount = (ushort)kept;
    }

    private int CountSparse(int lag)
    {
        var cells = Cells;
        var live = 0;
        for (var i = 0; i < _sparseCount; i++)
        {
            if (AgeOf((int)(cells[i] & StampMask)) + lag < _windowSlots)
            {
                live++;
            }
        }

        return live;
    }

    private void ConvertToDense()
    {
        var cells = _cells!; // full: the dense cell count, never held inline
        Span<ulong> entries = stackalloc ulong[cells.Length];
        cells.AsSpan(0, _sparseCount).CopyTo(entries);
        var count = _sparseCount;
        Array.Clear(cells);
        _sparseCount = 0;
        _dense = true;
        foreach (var entry in entries[..count])
        {
            AddDense(entry & ~StampMask, AgeOf((int)(entry & StampMask)));
        }
    }
}

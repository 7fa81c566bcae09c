using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Accounting;

/// <content>
/// Snapshot and restore for the account state codec. Layout: newest day (optional varint), the count of days held
/// (varint), then per day held, in slot order, the day (optional varint) and its peak FLOP (double). The window's
/// length is configuration: restored days go to the slots of the configured window. A day is held when the slots'
/// range covers it and it has compute; earlier writers also wrote days left behind in a slot no later day had reused,
/// which no sum ever counts, and a reader drops them.
/// </content>
internal sealed partial class DailyComputeWindow
{
    internal void WriteState(StateWriter writer)
    {
        writer.WriteOptionalInt64(NewestDay);
        var held = 0;
        foreach (var flop in _flop ?? [])
        {
            held += flop != 0 ? 1 : 0;
        }

        writer.WriteVarUInt64((ulong)held);
        if (held > 0)
        {
            // In canonical order (see the class remarks): the same bytes however large the ring grew.
            var (from, wrap, to) = CanonicalRange();
            WriteDays(writer, wrap, to);
            WriteDays(writer, from, wrap - 1);
        }
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote into an empty window.</summary>
    internal void ReadState(ref StateReader reader)
    {
        NewestDay = reader.ReadOptionalInt64("newest day");
        var held = reader.ReadElementCount("day count", 9);
        for (var i = 0; i < held; i++)
        {
            reader.RequireMore("day");
            var day = reader.ReadOptionalInt64("day");
            reader.RequireMore("day peak FLOP");
            var flop = reader.ReadDouble("day peak FLOP");
            if (day == long.MinValue)
            {
                throw reader.Corrupt("day", "a held day is none");
            }

            if (NewestDay == long.MinValue || day > NewestDay)
            {
                throw reader.Corrupt("day", $"held day {day} is after the newest day {NewestDay}");
            }

            if (day > NewestDay - (Days + 1))
            {
                _flop ??= new double[Math.Min(InitialSlots, Days + 1)];
                Reserve(NewestDay - day + 1);
                _flop[SlotOf(day, _flop.Length)] = flop;
                _oldestDay = _oldestDay == long.MinValue ? day : Math.Min(_oldestDay, day);
            }
        }

        _pastDay = long.MinValue;
    }

    private void WriteDays(StateWriter writer, long first, long last)
    {
        var flops = _flop!;
        for (var day = first; day <= last; day++)
        {
            var flop = flops[SlotOf(day, flops.Length)];
            if (flop != 0)
            {
                writer.WriteOptionalInt64(day);
                writer.WriteDouble(flop);
            }
        }
    }
}

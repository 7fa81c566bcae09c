using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Accounting;

/// <content>
/// Snapshot and restore for the account state codec. Layout: newest day (optional varint), the count of days held
/// (varint), then per day held, in slot order, the day (optional varint) and its peak FLOP (double). The window's
/// length is configuration: restored days go to the slots of the configured window.
/// </content>
internal sealed partial class DailyComputeWindow
{
    internal void WriteState(StateWriter writer)
    {
        writer.WriteOptionalInt64(NewestDay);
        var held = 0;
        foreach (var day in _day ?? [])
        {
            held += day == long.MinValue ? 0 : 1;
        }

        writer.WriteVarUInt64((ulong)held);
        for (var slot = 0; held > 0 && slot < _day!.Length; slot++)
        {
            if (_day[slot] != long.MinValue)
            {
                writer.WriteOptionalInt64(_day[slot]);
                writer.WriteDouble(_flop![slot]);
            }
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

            var (days, flops) = Slots();
            var slot = SlotOf(day, days.Length);
            if (days[slot] == long.MinValue || days[slot] < day)
            {
                days[slot] = day;
                flops[slot] = flop;
            }
        }

        _pastDay = long.MinValue;
    }
}

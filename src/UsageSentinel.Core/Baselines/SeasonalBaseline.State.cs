using System.Buffers.Binary;
using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Baselines;

/// <content>
/// Snapshot and restore for the account state codec. Layout: level (double), count (varint), spread, tail, shift up,
/// shift down, last residual, residual before last (floats), shift up run, shift down run (varints), last season
/// (zigzag varint), season count (varint), the visits (a byte per season), then offset and spread (floats) of each
/// visited season. The options are configuration, not state.
/// </content>
public partial struct SeasonalBaseline
{
    internal void WriteState(StateWriter writer)
    {
        writer.WriteDouble(_level);
        writer.WriteVarUInt64((ulong)_count);
        writer.WriteSingle(_spread);
        writer.WriteSingle(_tail);
        writer.WriteSingle(_shiftUp);
        writer.WriteSingle(_shiftDown);
        writer.WriteSingle(_lastResidual);
        writer.WriteSingle(_residualBeforeLast);
        writer.WriteVarUInt64(_shiftUpRun);
        writer.WriteVarUInt64(_shiftDownRun);
        writer.WriteVarInt64(_lastSeason);
        var seen = Visits;
        writer.WriteVarUInt64((ulong)seen.Length);
        foreach (var visits in seen)
        {
            writer.WriteByte(visits);
        }

        for (var season = 0; season < seen.Length; season++)
        {
            if (seen[season] > 0)
            {
                writer.WriteSingle(_seasons[2 * season]);
                writer.WriteSingle(_seasons[(2 * season) + 1]);
            }
        }
    }

    /// <summary>
    /// Restores what <see cref="WriteState"/> wrote into a baseline that knows nothing yet. A snapshot with another
    /// number of seasons (the options changed) is read and dropped: the baseline starts over.
    /// </summary>
    internal void ReadState(ref StateReader reader)
    {
        var level = reader.ReadDouble("baseline level");
        var count = reader.ReadVarCount("baseline count", int.MaxValue);
        var spread = reader.ReadSingle("baseline spread");
        var tail = reader.ReadSingle("baseline tail");
        var shiftUp = reader.ReadSingle("baseline shift up");
        var shiftDown = reader.ReadSingle("baseline shift down");
        var lastResidual = reader.ReadSingle("baseline last residual");
        var residualBeforeLast = reader.ReadSingle("baseline residual before last");
        var shiftUpRun = reader.ReadVarCount("baseline shift up run", ushort.MaxValue);
        var shiftDownRun = reader.ReadVarCount("baseline shift down run", ushort.MaxValue);
        var lastSeason = reader.ReadVarInt32("baseline last season", -1);
        var seasons = reader.ReadVarCount("baseline season count", short.MaxValue);
        var visits = reader.ReadBytes(seasons, "baseline visits");
        var visited = 0;
        foreach (var v in visits)
        {
            visited += v > 0 ? 1 : 0;
        }

        var offsets = reader.ReadBytes(visited * 2 * sizeof(float), "baseline seasons");
        if (lastSeason < -1 || lastSeason >= seasons)
        {
            throw reader.Corrupt("baseline last season", $"season {lastSeason} of {seasons}");
        }

        if (!double.IsFinite(level))
        {
            throw reader.Corrupt("baseline level", "the level is not finite");
        }

        var seen = Visits;
        if (seasons != seen.Length)
        {
            return; // configured differently now: start over
        }

        visits.CopyTo(seen);
        var read = 0;
        for (var season = 0; season < seasons; season++)
        {
            if (seen[season] > 0)
            {
                _seasons[2 * season] = BinaryPrimitives.ReadSingleLittleEndian(offsets[(read * sizeof(float))..]);
                _seasons[(2 * season) + 1] = BinaryPrimitives.ReadSingleLittleEndian(offsets[((read + 1) * sizeof(float))..]);
                read += 2;
            }
        }

        _level = level;
        _count = count;
        _spread = spread;
        _tail = tail;
        _shiftUp = shiftUp;
        _shiftDown = shiftDown;
        _lastResidual = lastResidual;
        _residualBeforeLast = residualBeforeLast;
        _shiftUpRun = (ushort)shiftUpRun;
        _shiftDownRun = (ushort)shiftDownRun;
        _lastSeason = (short)lastSeason;
    }
}

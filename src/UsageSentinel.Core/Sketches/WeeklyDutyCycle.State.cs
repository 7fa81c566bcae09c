using System.Buffers.Binary;
using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Sketches;

/// <content>
/// Snapshot and restore for the account state codec. Layout: last hour + 1 (varint; 0 = nothing marked, end), then
/// the three 8-byte words of the hour ring.
/// </content>
public partial struct WeeklyDutyCycle
{
    internal void WriteState(StateWriter writer)
    {
        writer.WriteVarUInt64((ulong)(_lastHour + 1));
        if (_lastHour == NoHour)
        {
            return;
        }

        for (var i = 0; i < 3; i++)
        {
            writer.WriteUInt64(_bits[i]);
        }
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote into an empty ring.</summary>
    internal void ReadState(ref StateReader reader)
    {
        var raw = reader.ReadVarUInt64("duty cycle last hour");
        if (raw > (ulong)(DateTime.MaxValue.Ticks / TimeSpan.TicksPerHour) + 1)
        {
            throw reader.Corrupt("duty cycle last hour", $"hour {raw - 1} is after year 9999");
        }

        if (raw == 0)
        {
            return;
        }

        var bytes = reader.ReadBytes(3 * sizeof(ulong), "duty cycle hours");
        for (var i = 0; i < 3; i++)
        {
            _bits[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * sizeof(ulong))..]);
        }

        _lastHour = (long)raw - 1;
    }
}

using System.Buffers.Binary;
using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Sketches;

/// <content>
/// Snapshot and restore for the account state codec. Layout: last hour (optional varint; none = nothing recorded,
/// end), then the 24 bucket weights as 4-byte floats. The offset and half-life are configuration, not state.
/// </content>
public partial struct ActivityHistogram
{
    internal void WriteState(StateWriter writer)
    {
        writer.WriteOptionalInt64(_lastHour);
        if (_lastHour == NoHour)
        {
            return;
        }

        foreach (var weight in _buckets)
        {
            writer.WriteSingle(weight);
        }
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote into an empty histogram.</summary>
    internal void ReadState(ref StateReader reader)
    {
        var lastHour = reader.ReadOptionalInt64("activity last hour");
        if (lastHour == NoHour)
        {
            return;
        }

        var bytes = reader.ReadBytes(HoursPerDay * sizeof(float), "activity buckets");
        for (var hour = 0; hour < HoursPerDay; hour++)
        {
            _buckets[hour] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(hour * sizeof(float))..]);
        }

        _lastHour = lastHour;
        _peakValid = false;
    }
}

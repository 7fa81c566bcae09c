using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Sketches;

/// <summary>The P² estimator's state: count, then the five marker heights and positions (doubles, bit for bit).</summary>
internal partial struct P2Estimator
{
    internal readonly void WriteState(StateWriter writer)
    {
        writer.WriteVarInt64(_count);
        for (var i = 0; i < 5; i++)
        {
            writer.WriteDouble(_heights[i]);
            writer.WriteDouble(_positions[i]);
        }
    }

    internal void ReadState(ref StateReader reader)
    {
        reader.RequireMore("quantile count");
        _count = reader.ReadVarInt64("quantile count");
        for (var i = 0; i < 5; i++)
        {
            reader.RequireMore("quantile marker");
            _heights[i] = reader.ReadDouble("quantile marker height");
            _positions[i] = reader.ReadDouble("quantile marker position");
        }
    }
}

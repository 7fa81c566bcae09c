using System.Buffers;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Worker.Replay;

/// <summary>One engine's anomalies as JSON lines, buffered until they are written to the replay's output.</summary>
internal sealed class ReplayOutput : IDetectionOutput<long>
{
    /// <summary>The buffered bytes above which a single loop writes its anomalies out.</summary>
    public const int FlushThreshold = 1 << 16;

    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);

    private long _count;

    /// <summary>Gets the anomalies raised; written by the detection thread, read for progress by the reading thread.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Gets the instance types no catalog entry matched.</summary>
    public List<string> UnknownTypes { get; } = [];

    /// <inheritdoc />
    public void OnAnomaly(AnomalyDetected anomaly, long token)
    {
        AnomalyJson.Write(_buffer, anomaly);
        _buffer.Write("\n"u8);
        Volatile.Write(ref _count, _count + 1);
    }

    /// <inheritdoc />
    public void OnEventDone(long token, EventOutcome outcome)
    {
    }

    /// <inheritdoc />
    public void OnUnknownInstanceType(string instanceType, string? gpuModel) => UnknownTypes.Add(instanceType);

    /// <summary>Writes the buffered anomalies to <paramref name="stream"/> once more than <paramref name="threshold"/> bytes wait (any, when 0).</summary>
    public void WriteTo(Stream stream, int threshold)
    {
        if (_buffer.WrittenCount > threshold || (threshold == 0 && _buffer.WrittenCount > 0))
        {
            stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }
}

using System.Globalization;

namespace UsageSentinel.Cli.Series;

/// <summary>Writes <c>timestamp,value,anomaly_score</c> rows as UTF-8: the first two as read, the score with 6 decimals.</summary>
internal sealed class SeriesScoreWriter : IDisposable
{
    private const int BufferSize = 1 << 16;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _length;

    public SeriesScoreWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    public void WriteHeader() => Append("timestamp,value,anomaly_score\n"u8);

    public void WriteRow(ReadOnlySpan<byte> timestampText, ReadOnlySpan<byte> valueText, double score)
    {
        // 2 commas, a newline and "0.000000" or "1.000000".
        if (_length + timestampText.Length + valueText.Length + 16 > _buffer.Length)
        {
            Flush();
        }

        Append(timestampText);
        Append(","u8);
        Append(valueText);
        Append(","u8);
        if (!Math.Clamp(score, 0, 1).TryFormat(_buffer.AsSpan(_length), out var written, "F6", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A score in [0, 1] always fits the reserved space.");
        }

        _length += written;
        Append("\n"u8);
    }

    public void Flush()
    {
        _stream.Write(_buffer, 0, _length);
        _length = 0;
    }

    public void Dispose()
    {
        Flush();
        _stream.Dispose();
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                _stream.Write(bytes);
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}

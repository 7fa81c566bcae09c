using System.Globalization;
using System.Text;

namespace UsageSentinel.Cli.Series;

/// <summary>
/// Reads a <c>timestamp,value</c> CSV file with a header row from UTF-8 bytes, one row at a time, without allocating per row.
/// Blank lines are skipped; a field may be wrapped in double quotes.
/// </summary>
internal sealed class SeriesCsvReader : IDisposable
{
    private const int BufferSize = 1 << 20;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private int _line;

    public SeriesCsvReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>Reads the header row. Returns an error message, or null when the first line has two columns and is not data.</summary>
    public string? ReadHeader()
    {
        if (!TryReadLine(out var line, out var tooLong))
        {
            return tooLong ? TooLong() : "the file is empty; expected a header row 'timestamp,value'";
        }

        if (!Split(line, out var first, out _))
        {
            return $"line {_line}: expected a header row with two columns 'timestamp,value', found '{Preview(line)}'";
        }

        return SeriesTimestamp.TryParse(Unquote(first), out _)
            ? $"line {_line}: expected a header row 'timestamp,value', found data '{Preview(line)}'"
            : null;
    }

    /// <summary>Reads the next data row.</summary>
    /// <param name="row">The row, when <see cref="SeriesReadStatus.Row"/>.</param>
    /// <param name="error">What is wrong with the line, naming its number, when <see cref="SeriesReadStatus.Invalid"/>.</param>
    public SeriesReadStatus Read(out SeriesRow row, out string? error)
    {
        row = default;
        error = null;
        if (!TryReadLine(out var line, out var tooLong))
        {
            error = tooLong ? TooLong() : null;
            return tooLong ? SeriesReadStatus.Invalid : SeriesReadStatus.End;
        }

        if (!Split(line, out var timestampText, out var valueText))
        {
            error = $"line {_line}: expected 2 columns 'timestamp,value', found '{Preview(line)}'";
            return SeriesReadStatus.Invalid;
        }

        if (!SeriesTimestamp.TryParse(Unquote(timestampText), out var timestamp))
        {
            error = $"line {_line}: cannot parse timestamp '{Preview(timestampText)}' (expected e.g. 2014-04-10 07:15:00 or 2014-04-10T07:15:00Z)";
            return SeriesReadStatus.Invalid;
        }

        if (!double.TryParse(Unquote(valueText), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            error = $"line {_line}: cannot parse value '{Preview(valueText)}' as a finite number";
            return SeriesReadStatus.Invalid;
        }

        row = new SeriesRow(_line, timestampText, valueText, timestamp, value);
        return SeriesReadStatus.Row;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Splits a line at its one comma; false if it has not exactly two columns.</summary>
    private static bool Split(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> first, out ReadOnlySpan<byte> second)
    {
        var comma = line.IndexOf((byte)',');
        if (comma < 0 || line[(comma + 1)..].IndexOf((byte)',') >= 0)
        {
            first = line;
            second = default;
            return false;
        }

        first = line[..comma];
        second = line[(comma + 1)..];
        return true;
    }

    private static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> field)
    {
        field = field.Trim(" \t"u8);
        return field.Length >= 2 && field[0] == '"' && field[^1] == '"' ? field[1..^1].Trim(" \t"u8) : field;
    }

    private string TooLong() => $"line {_line + 1}: longer than {_buffer.Length:N0} bytes; not a 'timestamp,value' row";

    private static string Preview(ReadOnlySpan<byte> text) =>
        Encoding.UTF8.GetString(text.Length > 80 ? text[..80] : text);

    /// <summary>The next non-blank line without its line ending; false at the end, or when a line does not fit the buffer.</summary>
    private bool TryReadLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0 && !_endOfStream)
            {
                if (!Fill())
                {
                    line = default;
                    tooLong = true;
                    return false;
                }

                continue;
            }

            int length;
            int next;
            if (newline >= 0)
            {
                length = newline;
                next = _start + newline + 1;
            }
            else if (_end > _start)
            {
                length = _end - _start;
                next = _end;
            }
            else
            {
                line = default;
                return false;
            }

            var candidate = _buffer.AsSpan(_start, length);
            _start = next;
            _line++;
            if (_line == 1 && candidate.StartsWith("\uFEFF"u8))
            {
                candidate = candidate[3..];
            }

            if (!candidate.IsEmpty && candidate[^1] == '\r')
            {
                candidate = candidate[..^1];
            }

            if (candidate.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            line = candidate;
            return true;
        }
    }

    /// <summary>Reads more input after the unread bytes; false if they already fill the buffer (a line too long).</summary>
    private bool Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            return false;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _endOfStream = read == 0;
        _end += read;
        return true;
    }
}

using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace UsageSentinel.Simulation.Engine;

/// <summary>One reusable <see cref="Utf8JsonWriter"/> and buffer; each event is copied out as its own array.</summary>
internal sealed class EventJsonBuffer : IDisposable
{
    // Events are ASCII; the relaxed encoder leaves '+' in base64 SSH fingerprints unescaped. The output is never HTML.
    // The scenarios write well-formed objects by construction, and tests parse every event, so skip the writer's checks.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public EventJsonBuffer() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    public Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    public byte[] Complete()
    {
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Writes an RFC 3339 UTC timestamp with whole seconds, e.g. <c>2026-03-01T12:00:00Z</c>.</summary>
    public static void WriteTime(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset time)
    {
        Span<byte> text = stackalloc byte[TimestampLength];
        FormatTimestamp(time, text);
        writer.WriteString(name, text);
    }

    /// <summary>The length of <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    public const int TimestampLength = 20;

    /// <summary>Formats <c>yyyy-MM-ddTHH:mm:ssZ</c> (UTC, four-digit year) without culture or format-string parsing.</summary>
    public static void FormatTimestamp(DateTimeOffset time, Span<byte> destination)
    {
        DateTime utc = time.UtcDateTime;
        Digits(destination[..4], utc.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), utc.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), utc.Day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), utc.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), utc.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), utc.Second);
        destination[19] = (byte)'Z';
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>Writes a money amount with exactly two decimals.</summary>
    public static void WriteMoney(Utf8JsonWriter writer, JsonEncodedText name, decimal amount)
    {
        Span<byte> text = stackalloc byte[40];
        amount.TryFormat(text, out int written, "F2", CultureInfo.InvariantCulture);
        writer.WritePropertyName(name);
        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }
}

using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using UsageSentinel.Core.Events;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// Parses one wire-contract message (shared/EVENTS.md, version 1) from UTF-8 JSON bytes, validates
/// every field, and maps it to a Core <see cref="AccountEvent"/>. Never throws for any input.
/// </summary>
/// <remarks>
/// <para>
/// Two paths with one behaviour. The fast path (ContractParser.FastPath.cs) reads the bytes once with a
/// <see cref="Utf8JsonReader"/> and builds the event directly; it only accepts. Any message it declines goes to the
/// DTO path, which deserializes straight from the bytes with the source-generated <see cref="ContractJsonContext"/>,
/// then validates the fields of the message's <c>event_type</c>, and is the one source of every error. Only a
/// message the single deserialization refuses pays for a third look, which tells malformed JSON from a wrong field
/// type.
/// </para>
/// <para>
/// Lenient where the contract allows: unknown fields (and fields of other event types) are ignored,
/// optional strings that are <c>""</c> count as absent, <c>null</c> counts as absent, and a leading
/// UTF-8 byte order mark is skipped.
/// </para>
/// </remarks>
public static partial class ContractParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Parses and validates one message.</summary>
    /// <param name="utf8Json">The message value: one UTF-8 JSON object.</param>
    /// <param name="event">The event, when the message keeps the contract.</param>
    /// <param name="error">Why the message breaks the contract; <see cref="ContractError.None"/> on success.</param>
    /// <returns><see langword="true"/> when the message keeps the contract.</returns>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        if (TryParseFast(utf8Json, out @event))
        {
            error = ContractError.None;
            return true;
        }

        return TryParseWithDto(utf8Json, out @event, out error);
    }

    /// <summary>The DTO path alone: deserialize into <see cref="EventDto"/>, then validate and map.</summary>
    internal static bool TryParseWithDto(
        ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out AccountEvent? @event, out ContractError error)
    {
        @event = null;
        return TryDeserialize(utf8Json, out EventDto? dto, out error) && TryMap(dto, out @event, out error);
    }

    private static bool TryDeserialize(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out EventDto? dto, out ContractError error)
    {
        dto = null;
        ReadOnlySpan<byte> json = utf8Json.StartsWith("\uFEFF"u8) ? utf8Json[3..] : utf8Json;
        if (json.TrimStart(" \t\r\n"u8).IsEmpty)
        {
            error = new(DeadLetterReason.EmptyMessage, "message is empty");
            return false;
        }

        if (!Utf8.IsValid(json))
        {
            error = new(DeadLetterReason.MalformedJson, "message is not valid UTF-8");
            return false;
        }

        try
        {
            dto = JsonSerializer.Deserialize(json, ContractJsonContext.Default.EventDto);
        }
        catch (JsonException)
        {
            return TryDeserializeAfterFailure(json, out dto, out error);
        }

        if (dto is null)
        {
            error = new(DeadLetterReason.NotAnObject, "message must be a JSON object, got null");
            return false;
        }

        error = ContractError.None;
        return true;
    }

    /// <summary>
    /// The slow path, for a message the single deserialization refused: tells malformed JSON and
    /// non-objects from field errors, checks the header first (an unsupported version or unknown type
    /// wins over a field error), then deserializes only the fields of the message's event type, so a
    /// wrongly typed field that belongs to another type is ignored like any unknown field.
    /// </summary>
    private static bool TryDeserializeAfterFailure(
        ReadOnlySpan<byte> json, [NotNullWhen(true)] out EventDto? dto, out ContractError error)
    {
        dto = null;
        if (!IsWellFormed(json, out error))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = new(DeadLetterReason.NotAnObject, "message must be a JSON object, got " + Describe(reader.TokenType));
            return false;
        }

        if (!TryDeserializeFields(json, ContractFields.Header, out EventDto? header, out error)
            || !TryReadHeader(header, out AccountEventKind kind, out error))
        {
            return false;
        }

        return TryDeserializeFields(json, ContractFields.TopLevel(kind), out dto, out error);
    }

    private static bool TryDeserializeFields(
        ReadOnlySpan<byte> json, string[] names, [NotNullWhen(true)] out EventDto? dto, out ContractError error)
    {
        dto = null;
        ArrayBufferWriter<byte> subset = KeepOnly(json, names);
        try
        {
            dto = JsonSerializer.Deserialize(subset.WrittenSpan, ContractJsonContext.Default.EventDto);
        }
        catch (JsonException exception)
        {
            string path = exception.Path ?? "$";
            error = new(DeadLetterReason.InvalidField, Clip(path) + " " + ContractFields.Expectation(path));
            return false;
        }

        if (dto is null)
        {
            error = new(DeadLetterReason.NotAnObject, "message must be a JSON object, got null");
            return false;
        }

        error = ContractError.None;
        return true;
    }

    /// <summary>Copies the top-level properties named in <paramref name="names"/> into a new object, byte for byte.</summary>
    private static ArrayBufferWriter<byte> KeepOnly(ReadOnlySpan<byte> json, string[] names)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 2);
        output.Write("{"u8);
        bool first = true;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int start = checked((int)reader.TokenStartIndex);
            bool keep = IsOneOf(ref reader, names);
            reader.Read();
            reader.Skip();
            int end = checked((int)reader.BytesConsumed);
            if (keep)
            {
                if (!first)
                {
                    output.Write(","u8);
                }

                output.Write(json[start..end]);
                first = false;
            }
        }

        output.Write("}"u8);
        return output;
    }

    private static bool IsOneOf(ref Utf8JsonReader reader, string[] names)
    {
        foreach (string name in names)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads the whole message with the serializer's reader settings, and unescapes every escaped
    /// string, so later passes over it cannot throw.
    /// </summary>
    private static bool IsWellFormed(ReadOnlySpan<byte> json, out ContractError error)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                if ((reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName) && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException exception)
        {
            error = new(
                DeadLetterReason.MalformedJson,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"message is not well-formed JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})"));
            return false;
        }
        catch (InvalidOperationException)
        {
            error = new(
                DeadLetterReason.MalformedJson,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"message has an invalid \\u escape (unpaired surrogate) near byte {reader.TokenStartIndex + 1}"));
            return false;
        }

        error = ContractError.None;
        return true;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };
}

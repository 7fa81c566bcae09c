using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSentinel.Kafka.Contract;

/// <summary>
/// Reads <c>amount</c> as a <see cref="decimal"/> from a JSON number, or leniently from a decimal
/// string such as <c>"12.50"</c> (<c>-?digits[.digits]</c>): money often travels as a string to
/// survive double-precision producers. Anything else is a <see cref="JsonException"/>, which the
/// serializer tags with the field's path.
/// </summary>
internal sealed class AmountConverter : JsonConverter<decimal?>
{
    private const int MaxStringLength = 64;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDecimal(out decimal number):
                return number;
            case JsonTokenType.String when !reader.ValueIsEscaped && TryParseDecimalString(reader.ValueSpan, out decimal parsed):
                return parsed;
            default:
                throw new JsonException();
        }
    }

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } amount)
        {
            writer.WriteNumberValue(amount);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Parses an unescaped decimal string's UTF-8 bytes, e.g. <c>12.50</c>; shared with the parser's fast path.</summary>
    internal static bool TryParseDecimalString(ReadOnlySpan<byte> text, out decimal value)
    {
        value = default;
        if (text.IsEmpty || text.Length > MaxStringLength)
        {
            return false;
        }

        int i = text[0] == (byte)'-' ? 1 : 0;
        int integerStart = i;
        while (i < text.Length && char.IsAsciiDigit((char)text[i]))
        {
            i++;
        }

        if (i == integerStart)
        {
            return false;
        }

        if (i < text.Length)
        {
            if (text[i] != (byte)'.')
            {
                return false;
            }

            int fractionStart = ++i;
            while (i < text.Length && char.IsAsciiDigit((char)text[i]))
            {
                i++;
            }

            if (i == fractionStart || i != text.Length)
            {
                return false;
            }
        }

        return decimal.TryParse(
            text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }
}

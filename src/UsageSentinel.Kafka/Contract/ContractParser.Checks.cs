using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace UsageSentinel.Kafka.Contract;

/// <summary>Field checks. Each returns <see langword="false"/> with the error of the first broken rule.</summary>
public static partial class ContractParser
{
    /// <summary>The most characters of an input value a message may quote.</summary>
    internal const int MaxEchoLength = 64;

    private static bool TryRequired(
        string? value, string path, [NotNullWhen(true)] out string? result, out ContractError error)
    {
        result = null;
        if (value is null)
        {
            error = Missing(path);
            return false;
        }

        if (value.Length == 0)
        {
            error = new(DeadLetterReason.InvalidField, path + " must be a non-empty string");
            return false;
        }

        result = value;
        return Ok(out error);
    }

    private static bool TryId(string? value, string path, [NotNullWhen(true)] out string? result, out ContractError error)
    {
        result = null;
        if (value is null)
        {
            error = Missing(path);
            return false;
        }

        if (!IsValidId(value))
        {
            error = new(
                DeadLetterReason.InvalidField,
                string.Create(CultureInfo.InvariantCulture, $"{path} {ContractFields.Expectation(path)}, got {CountRunes(value)} characters"));
            return false;
        }

        result = value;
        return Ok(out error);
    }

    /// <summary>1 to 128 characters, counted as Unicode scalar values (an astral character is one).</summary>
    private static bool IsValidId(string value) =>
        value.Length != 0 && (value.Length <= ContractFields.MaxIdLength || CountRunes(value) <= ContractFields.MaxIdLength);

    /// <summary>An optional string: <c>""</c> counts as absent.</summary>
    private static string? Optional(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool TryCountry(string? value, string path, out string? result, out ContractError error)
    {
        result = Optional(value);
        return result is null || IsUpperAsciiCode(result, 2) ? Ok(out error) : Invalid(path, result, out error);
    }

    private static bool TryCurrency(string? value, string path, [NotNullWhen(true)] out string? result, out ContractError error)
    {
        result = null;
        if (value is null)
        {
            error = Missing(path);
            return false;
        }

        if (!IsUpperAsciiCode(value, 3))
        {
            return Invalid(path, value, out error);
        }

        result = value;
        return Ok(out error);
    }

    private static bool TryOneOf(string? value, string path, string[] allowed, out string? result, out ContractError error)
    {
        result = null;
        string? present = Optional(value);
        if (present is null)
        {
            return Ok(out error);
        }

        foreach (string candidate in allowed)
        {
            if (string.Equals(candidate, present, StringComparison.Ordinal))
            {
                result = candidate;
                return Ok(out error);
            }
        }

        return Invalid(path, present, out error);
    }

    private static bool TryTimestamp(string? value, string path, out DateTimeOffset? result, out ContractError error)
    {
        result = null;
        string? present = Optional(value);
        if (present is null)
        {
            return Ok(out error);
        }

        if (!Rfc3339.TryParse(present, out DateTimeOffset parsed))
        {
            return Invalid(path, present, out error);
        }

        result = parsed;
        return Ok(out error);
    }

    private static bool TryRequiredTimestamp(string? value, string path, out DateTimeOffset result, out ContractError error)
    {
        result = default;
        if (value is null)
        {
            error = Missing(path);
            return false;
        }

        if (!Rfc3339.TryParse(value, out result))
        {
            return Invalid(path, value, out error);
        }

        return Ok(out error);
    }

    private static bool TryNonNegative(int? value, string path, out ContractError error) =>
        value is null or >= 0 ? Ok(out error) : Invalid(path, value.Value.ToString(CultureInfo.InvariantCulture), out error);

    private static bool TryNonNegative(double? value, string path, out ContractError error) =>
        value is not { } number || (double.IsFinite(number) && number >= 0)
            ? Ok(out error)
            : Invalid(path, number.ToString("R", CultureInfo.InvariantCulture), out error);

    private static bool TryAmount(decimal? value, string path, out decimal result, out ContractError error)
    {
        result = value.GetValueOrDefault();
        if (value is null)
        {
            error = Missing(path);
            return false;
        }

        return result >= 0 ? Ok(out error) : Invalid(path, result.ToString(CultureInfo.InvariantCulture), out error);
    }

    private static bool TryAsn(long? value, string path, out ContractError error) =>
        value is null or (>= 0 and <= uint.MaxValue)
            ? Ok(out error)
            : Invalid(path, value.Value.ToString(CultureInfo.InvariantCulture), out error);

    private static bool Ok(out ContractError error)
    {
        error = ContractError.None;
        return true;
    }

    private static bool Invalid(string path, string value, out ContractError error)
    {
        error = new(DeadLetterReason.InvalidField, path + " " + ContractFields.Expectation(path) + ", got " + Echo(value));
        return false;
    }

    private static ContractError Missing(string path) => new(DeadLetterReason.MissingField, path + " is required");

    private static bool IsUpperAsciiCode(string value, int length)
    {
        if (value.Length != length)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int CountRunes(string value)
    {
        int count = 0;
        foreach (Rune _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>Quotes an input value for a message: at most 64 characters, control characters replaced.</summary>
    internal static string Echo(string value)
    {
        int length = Math.Min(value.Length, MaxEchoLength);
        if (length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            length--;
        }

        var builder = new StringBuilder(length + 3);
        builder.Append('\'');
        foreach (char c in value.AsSpan(0, length))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        builder.Append(length < value.Length ? "'…" : "'");
        return builder.ToString();
    }

    /// <summary>Clips a path taken from a <see cref="System.Text.Json.JsonException"/> to the echo limit.</summary>
    private static string Clip(string path) => path.Length <= MaxEchoLength ? path : path[..MaxEchoLength] + "…";
}

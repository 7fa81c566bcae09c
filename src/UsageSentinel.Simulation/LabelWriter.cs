using System.Globalization;
using System.Text;
using System.Text.Json;

namespace UsageSentinel.Simulation;

/// <summary>Reads and writes scenario labels as newline-delimited JSON with <c>snake_case</c> fields.</summary>
/// <example>
/// <code>{"account_id":"acct-004711","scenario":"structuring","abusive":true,"abuse_start":"2026-03-02T10:00:00Z","linked_account_ids":["acct-120034"],"expected_detectors":["linked_accounts"]}</code>
/// </example>
public static class LabelWriter
{
    private static readonly JsonEncodedText AccountId = JsonEncodedText.Encode("account_id");
    private static readonly JsonEncodedText Scenario = JsonEncodedText.Encode("scenario");
    private static readonly JsonEncodedText Abusive = JsonEncodedText.Encode("abusive");
    private static readonly JsonEncodedText AbuseStart = JsonEncodedText.Encode("abuse_start");
    private static readonly JsonEncodedText LinkedAccountIds = JsonEncodedText.Encode("linked_account_ids");
    private static readonly JsonEncodedText ExpectedDetectors = JsonEncodedText.Encode("expected_detectors");

    /// <summary>Writes one label a line.</summary>
    /// <param name="stream">The destination; flushed and left open.</param>
    /// <param name="labels">The labels.</param>
    public static void Write(Stream stream, IEnumerable<ScenarioLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(labels);
        using var writer = new Utf8JsonWriter(stream);
        Span<char> text = stackalloc char[24];
        foreach (ScenarioLabel label in labels)
        {
            writer.Reset();
            writer.WriteStartObject();
            writer.WriteString(AccountId, label.AccountId);
            writer.WriteString(Scenario, label.Scenario);
            writer.WriteBoolean(Abusive, label.Abusive);
            if (label.AbuseStart is { } start)
            {
                start.UtcDateTime.TryFormat(text, out int written, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                writer.WriteString(AbuseStart, text[..written]);
            }
            else
            {
                writer.WriteNull(AbuseStart);
            }

            WriteStrings(writer, LinkedAccountIds, label.LinkedAccountIds);
            WriteStrings(writer, ExpectedDetectors, label.ExpectedDetectors);
            writer.WriteEndObject();
            writer.Flush();
            stream.WriteByte((byte)'\n');
        }

        stream.Flush();
    }

    /// <summary>Reads labels written by <see cref="Write"/>; blank lines are skipped.</summary>
    /// <param name="stream">The source; left open.</param>
    /// <returns>The labels in file order.</returns>
    /// <exception cref="InvalidDataException">A line is not a label.</exception>
    public static IReadOnlyList<ScenarioLabel> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var labels = new List<ScenarioLabel>();
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 14, leaveOpen: true);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                labels.Add(Parse(document.RootElement));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"Line {lineNumber} is not a scenario label: {e.Message}", e);
            }
        }

        return labels;
    }

    private static ScenarioLabel Parse(JsonElement root)
    {
        JsonElement start = root.GetProperty("abuse_start");
        return new ScenarioLabel(
            root.GetProperty("account_id").GetString() ?? throw new FormatException("account_id is null."),
            root.GetProperty("scenario").GetString() ?? throw new FormatException("scenario is null."),
            root.GetProperty("abusive").GetBoolean(),
            start.ValueKind == JsonValueKind.Null ? null : start.GetDateTimeOffset(),
            ReadStrings(root, "linked_account_ids"),
            ReadStrings(root, "expected_detectors"));
    }

    private static string[] ReadStrings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var values = new string[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            values[i++] = item.GetString() ?? throw new FormatException($"{name} holds a null.");
        }

        return values;
    }

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, string[] values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values ?? [])
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}

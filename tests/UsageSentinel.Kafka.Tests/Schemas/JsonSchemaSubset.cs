using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace UsageSentinel.Kafka.Tests.Schemas;

/// <summary>
/// A tiny JSON Schema (draft 2020-12) validator for exactly the keywords our event and anomaly schemas use. No
/// validator library is available; <see cref="UnsupportedKeywords"/> makes sure no keyword is ignored.
/// </summary>
internal static class JsonSchemaSubset
{
    private static readonly HashSet<string> Annotations =
        ["$schema", "$id", "title", "description", "format", "default"];

    private static readonly HashSet<string> Assertions =
    [
        "type", "required", "properties", "additionalProperties", "const", "enum", "pattern", "minLength",
        "maxLength", "minimum", "maximum", "items", "maxItems",
    ];

    /// <summary>Returns the JSON paths of keywords this validator would silently ignore.</summary>
    public static List<string> UnsupportedKeywords(JsonElement schema, string path = "#")
    {
        var unsupported = new List<string>();
        foreach (JsonProperty keyword in schema.EnumerateObject())
        {
            if (!Annotations.Contains(keyword.Name) && !Assertions.Contains(keyword.Name))
            {
                unsupported.Add(path + "/" + keyword.Name);
            }
        }

        if (schema.TryGetProperty("properties", out JsonElement properties))
        {
            foreach (JsonProperty property in properties.EnumerateObject())
            {
                unsupported.AddRange(UnsupportedKeywords(property.Value, path + "/properties/" + property.Name));
            }
        }

        if (schema.TryGetProperty("additionalProperties", out JsonElement additional) && additional.ValueKind == JsonValueKind.Object)
        {
            unsupported.AddRange(UnsupportedKeywords(additional, path + "/additionalProperties"));
        }

        if (schema.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Object)
        {
            unsupported.AddRange(UnsupportedKeywords(items, path + "/items"));
        }

        return unsupported;
    }

    /// <summary>Validates <paramref name="instance"/>; returns one line per violation, empty when valid.</summary>
    public static List<string> Validate(JsonElement schema, JsonElement instance, string path = "$")
    {
        var errors = new List<string>();
        if (schema.TryGetProperty("type", out JsonElement type) && !MatchesType(type, instance))
        {
            errors.Add($"{path}: expected type {type.GetRawText()}, got {instance.ValueKind}");
            return errors;
        }

        if (schema.TryGetProperty("const", out JsonElement constant) && !JsonElement.DeepEquals(constant, instance))
        {
            errors.Add($"{path}: expected {constant.GetRawText()}");
        }

        if (schema.TryGetProperty("enum", out JsonElement values)
            && !values.EnumerateArray().Any(value => JsonElement.DeepEquals(value, instance)))
        {
            errors.Add($"{path}: not one of {values.GetRawText()}");
        }

        switch (instance.ValueKind)
        {
            case JsonValueKind.String:
                ValidateString(schema, instance.GetString()!, path, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(schema, instance.GetDouble(), path, errors);
                break;
            case JsonValueKind.Object:
                ValidateObject(schema, instance, path, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, instance, path, errors);
                break;
        }

        return errors;
    }

    private static bool MatchesType(JsonElement type, JsonElement instance) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => MatchesType(t.GetString()!, instance))
            : MatchesType(type.GetString()!, instance);

    private static bool MatchesType(string type, JsonElement instance) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && double.IsInteger(instance.GetDouble()),
        _ => throw new InvalidOperationException("Unknown JSON Schema type " + type),
    };

    private static void ValidateString(JsonElement schema, string value, string path, List<string> errors)
    {
        int length = value.EnumerateRunes().Count();
        if (schema.TryGetProperty("minLength", out JsonElement min) && length < min.GetInt32())
        {
            errors.Add($"{path}: shorter than {min.GetInt32()}");
        }

        if (schema.TryGetProperty("maxLength", out JsonElement max) && length > max.GetInt32())
        {
            errors.Add($"{path}: longer than {max.GetInt32()}");
        }

        if (schema.TryGetProperty("pattern", out JsonElement pattern)
            && !Regex.IsMatch(value, pattern.GetString()!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{path}: does not match {pattern.GetString()}");
        }
    }

    private static void ValidateNumber(JsonElement schema, double value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("minimum", out JsonElement min) && value < min.GetDouble())
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: below {min.GetDouble()}"));
        }

        if (schema.TryGetProperty("maximum", out JsonElement max) && value > max.GetDouble())
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: above {max.GetDouble()}"));
        }
    }

    private static void ValidateArray(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        if (schema.TryGetProperty("maxItems", out JsonElement max) && instance.GetArrayLength() > max.GetInt32())
        {
            errors.Add($"{path}: more than {max.GetInt32()} items");
        }

        if (schema.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Object)
        {
            int index = 0;
            foreach (JsonElement item in instance.EnumerateArray())
            {
                errors.AddRange(Validate(items, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]")));
                index++;
            }
        }
    }

    private static void ValidateObject(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out JsonElement required))
        {
            foreach (JsonElement name in required.EnumerateArray())
            {
                if (!instance.TryGetProperty(name.GetString()!, out _))
                {
                    errors.Add($"{path}: missing required {name.GetString()}");
                }
            }
        }

        schema.TryGetProperty("properties", out JsonElement properties);
        schema.TryGetProperty("additionalProperties", out JsonElement additional);
        foreach (JsonProperty member in instance.EnumerateObject())
        {
            string memberPath = path + "." + member.Name;
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out JsonElement propertySchema))
            {
                errors.AddRange(Validate(propertySchema, member.Value, memberPath));
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{memberPath}: additional property not allowed");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                errors.AddRange(Validate(additional, member.Value, memberPath));
            }
        }
    }
}

using System.Text.Json;

namespace UsageSentinel.Kafka.Tests.Schemas;

public sealed class JsonSchemaSubsetTests
{
    private const string ArraySchema = """
        {
          "type": "array",
          "maxItems": 2,
          "items": { "type": "string", "minLength": 1 }
        }
        """;

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"a\"]")]
    [InlineData("[\"a\", \"b\"]")]
    public void Validate_ArrayWithinItemsAndMaxItems_IsValid(string json)
    {
        Validate(ArraySchema, json).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_ArrayLongerThanMaxItems_ReportsIt()
    {
        Validate(ArraySchema, "[\"a\", \"b\", \"c\"]").ShouldBe(["$: more than 2 items"]);
    }

    [Fact]
    public void Validate_ArrayItemAgainstItems_ReportsEachBadItemWithItsIndex()
    {
        Validate(ArraySchema, "[\"\", 7]").ShouldBe(["$[0]: shorter than 1", "$[1]: expected type \"string\", got Number"]);
    }

    [Fact]
    public void Validate_ItemsInsideNestedObjects_AreChecked()
    {
        const string Schema = """{ "type": "object", "properties": { "list": { "type": "array", "items": { "type": "object", "required": ["x"] } } } }""";

        Validate(Schema, """{ "list": [ { "x": 1 }, {} ] }""").ShouldBe(["$.list[1]: missing required x"]);
    }

    [Fact]
    public void UnsupportedKeywords_UnknownKeywordInsideItems_IsReported()
    {
        using JsonDocument schema = JsonDocument.Parse("""{ "type": "array", "maxItems": 3, "items": { "type": "string", "uniqueItems": true } }""");

        JsonSchemaSubset.UnsupportedKeywords(schema.RootElement).ShouldBe(["#/items/uniqueItems"]);
    }

    private static List<string> Validate(string schemaJson, string instanceJson)
    {
        using JsonDocument schema = JsonDocument.Parse(schemaJson);
        using JsonDocument instance = JsonDocument.Parse(instanceJson);
        return JsonSchemaSubset.Validate(schema.RootElement, instance.RootElement);
    }
}

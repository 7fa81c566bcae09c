using UsageSentinel.Kafka.Contract;

namespace UsageSentinel.Kafka.Tests.Contract;

public sealed class DeadLetterReasonCodesTests
{
    [Theory]
    [InlineData(DeadLetterReason.None, "none")]
    [InlineData(DeadLetterReason.EmptyMessage, "empty_message")]
    [InlineData(DeadLetterReason.MalformedJson, "malformed_json")]
    [InlineData(DeadLetterReason.NotAnObject, "not_an_object")]
    [InlineData(DeadLetterReason.MissingField, "missing_field")]
    [InlineData(DeadLetterReason.InvalidField, "invalid_field")]
    [InlineData(DeadLetterReason.UnknownEventType, "unknown_event_type")]
    [InlineData(DeadLetterReason.UnsupportedSchemaVersion, "unsupported_schema_version")]
    public void ToCode_EachReason_GivesItsSnakeCaseCode(DeadLetterReason reason, string code)
    {
        reason.ToCode().ShouldBe(code);
    }

    [Fact]
    public void ToCode_AllReasons_AreDistinctLowerSnakeCase()
    {
        string[] codes = [.. Enum.GetValues<DeadLetterReason>().Select(r => r.ToCode())];

        codes.Distinct(StringComparer.Ordinal).Count().ShouldBe(codes.Length);
        codes.ShouldAllBe(code => System.Text.RegularExpressions.Regex.IsMatch(code, "^[a-z]+(_[a-z]+)*$"));
    }

    [Fact]
    public void ToCode_UndefinedValue_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => ((DeadLetterReason)99).ToCode());
    }
}

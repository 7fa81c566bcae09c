using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using UsageSentinel.Simulation.Engine;

namespace UsageSentinel.Simulation.Tests.Engine;

public sealed class EventJsonBufferTests
{
    [Fact]
    public void FormatTimestamp_AnyInstant_MatchesTheRfc3339Pattern()
    {
        Prop.ForAll<long>(raw =>
        {
            long seconds = 946_684_800 + (long)((ulong)raw % 7_000_000_000UL);
            DateTimeOffset time = DateTimeOffset.FromUnixTimeSeconds(seconds);
            var text = new byte[EventJsonBuffer.TimestampLength];
            EventJsonBuffer.FormatTimestamp(time, text);
            return Encoding.ASCII.GetString(text) == time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void WriteMoney_Amount_HasExactlyTwoDecimals()
    {
        using var json = new EventJsonBuffer();
        var writer = json.Begin();
        writer.WriteStartObject();
        EventJsonBuffer.WriteMoney(writer, System.Text.Json.JsonEncodedText.Encode("a"), 12m);
        EventJsonBuffer.WriteMoney(writer, System.Text.Json.JsonEncodedText.Encode("b"), 0.5m);
        EventJsonBuffer.WriteMoney(writer, System.Text.Json.JsonEncodedText.Encode("c"), 1234567.891m);
        writer.WriteEndObject();

        Encoding.UTF8.GetString(json.Complete()).ShouldBe("""{"a":12.00,"b":0.50,"c":1234567.89}""");
    }
}

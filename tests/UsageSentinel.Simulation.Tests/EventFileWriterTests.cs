using System.Text;

namespace UsageSentinel.Simulation.Tests;

public sealed class EventFileWriterTests
{
    [Fact]
    public void WriteNdjson_Events_OneJsonObjectPerLineInOrder()
    {
        var options = new SimulationOptions
        {
            Accounts = 10, ResaleAccounts = 1, RestrictedTrainingAccounts = 0, StructuringGroups = 0, CompromiseAccounts = 0, VerifiedLabs = 0,
        };
        List<SimulatedEvent> events = new PopulationSimulator(options).Generate().ToList();
        using var stream = new MemoryStream();

        EventFileWriter.WriteNdjson(stream, events);

        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        lines.Length.ShouldBe(events.Count + 1);
        lines[^1].ShouldBeEmpty();
        lines.Take(events.Count).SequenceEqual(events.Select(e => Encoding.UTF8.GetString(e.Utf8Json)), StringComparer.Ordinal).ShouldBeTrue();
    }

    [Fact]
    public void WriteNdjson_EventLargerThanTheChunk_IsWrittenWhole()
    {
        byte[] big = Encoding.UTF8.GetBytes("{\"event_id\":\"" + new string('x', 100_000) + "\"}");
        SimulatedEvent[] events =
        [
            new(DateTimeOffset.UnixEpoch, SimulationTopics.InstanceEvents, "a", "1", "{}"u8.ToArray()),
            new(DateTimeOffset.UnixEpoch, SimulationTopics.InstanceEvents, "a", "2", big),
        ];
        using var stream = new MemoryStream();

        EventFileWriter.WriteNdjson(stream, events);

        stream.ToArray().ShouldBe([.. "{}\n"u8.ToArray(), .. big, (byte)'\n']);
    }

    [Fact]
    public void WriteNdjson_Stream_IsLeftOpen()
    {
        using var stream = new MemoryStream();

        EventFileWriter.WriteNdjson(stream, []);

        stream.CanWrite.ShouldBeTrue();
        stream.Length.ShouldBe(0);
    }
}

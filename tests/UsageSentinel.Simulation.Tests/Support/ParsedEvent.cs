using System.Text.Json;

namespace UsageSentinel.Simulation.Tests.Support;

/// <summary>A simulated event with its JSON parsed (and cloned, so it outlives the document).</summary>
public sealed record ParsedEvent(SimulatedEvent Source, JsonElement Root)
{
    public string Type => Root.GetProperty("event_type").GetString()!;

    public string AccountId => Source.AccountId;

    public DateTimeOffset At => Source.OccurredAt;

    public string? Text(string name) =>
        Root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public JsonElement? Child(string name) =>
        Root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value : null;

    public bool Has(string name) => Root.TryGetProperty(name, out _);

    public static ParsedEvent Parse(SimulatedEvent simulated)
    {
        using var document = JsonDocument.Parse(simulated.Utf8Json);
        return new ParsedEvent(simulated, document.RootElement.Clone());
    }
}

using BenchmarkDotNet.Attributes;
using UsageSentinel.Core.Events;
using UsageSentinel.Kafka.Contract;

namespace UsageSentinel.Benchmarks;

/// <summary>
/// <see cref="ContractParser.TryParse"/> on realistic messages from the simulator: per event, so the figures are
/// ns/event and bytes/event. <see cref="EventType"/> picks the population's natural mix or one event type.
/// </summary>
/// <remarks>
/// The selected messages are cycled into <see cref="MessageCount"/> slots; each invocation parses the next
/// <see cref="EventsPerInvoke"/> of them, so successive invocations walk the whole selection.
/// </remarks>
[MemoryDiagnoser]
public class ContractParserBenchmarks
{
    /// <summary>The population's natural mix of event types.</summary>
    public const string Mixed = "mixed";

    /// <summary>Messages parsed by one <see cref="TryParse"/> call; for the harness.</summary>
    internal const int EventsPerInvocation = EventsPerInvoke;

    private const int EventsPerInvoke = 1_024;
    private const int MessageCount = 8 * EventsPerInvoke;
    private byte[][] _messages = [];
    private int _offset;

    [Params(Mixed, EventTypeNames.InstanceLaunched, EventTypeNames.InstanceTerminated, EventTypeNames.InstanceAccess, EventTypeNames.BillingCharge)]
    public string EventType { get; set; } = Mixed;

    [GlobalSetup]
    public void Setup()
    {
        var simulated = SimulatedPopulation.Generate();
        var parsed = SimulatedPopulation.Parse(simulated);
        var selected = new List<byte[]>();
        for (var i = 0; i < simulated.Length; i++)
        {
            if (EventType == Mixed || parsed[i].Kind.ToWireName() == EventType)
            {
                selected.Add(simulated[i].Utf8Json);
            }
        }

        _messages = new byte[MessageCount][];
        for (var i = 0; i < _messages.Length; i++)
        {
            _messages[i] = selected[i % selected.Count];
        }

        // Get the parser past tier-0 code before the pilot stage sizes the iterations from its first, cold one.
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < MessageCount / EventsPerInvoke; i++)
            {
                TryParse();
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public int TryParse()
    {
        var accepted = 0;
        var messages = _messages.AsSpan(_offset, EventsPerInvoke);
        foreach (var message in messages)
        {
            if (ContractParser.TryParse(message, out _, out _))
            {
                accepted++;
            }
        }

        _offset = (_offset + EventsPerInvoke) % MessageCount;
        return accepted;
    }
}

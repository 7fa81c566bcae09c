using System.Text;
using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Events;
using UsageSentinel.Kafka.Contract;
using UsageSentinel.Simulation;

namespace UsageSentinel.Kafka.Tests.Contract;

/// <summary>
/// The fast path against the DTO path: for every input, <see cref="ContractParser.TryParse"/> gives exactly what the
/// DTO path alone gives, and whatever the fast path accepts, the DTO path accepts as an identical event.
/// </summary>
public sealed partial class ContractParserTests
{
    private static readonly Lazy<byte[][]> Simulated = new(() =>
    [
        .. new PopulationSimulator(new SimulationOptions { Seed = 7, Accounts = 20, Duration = TimeSpan.FromDays(3) })
            .Generate().Select(e => e.Utf8Json),
    ]);

    // A property, not a field: Fragments lives in another part of the class, and the order in which the static
    // fields of different parts are initialized is not defined.
    private static string[] EquivalenceFragments =>
    [
        .. Fragments, "1e1", "1E+1", "1.0", "-0", "2.5e-3", "\"1e2\"", "\" 12.50\"", "\"12.\"", "\"\\u0031\"", "12.500",
        "\"2026-03-01T12:00:00.5+05:30\"", "\"2026-03-01t12:00:00z\"", "\"\\u0032026-03-01T12:00:00Z\"", "\"NL\"",
        "\"N\\u004C\"", "\"us-east-1\"", "\"\\u00e9\"", "\"caf\u00e9\"", "{\"kind\":\"card\",\"kind\":null}",
    ];

    /// <summary>Asserts that <paramref name="message"/> gets the DTO path's answer, and that a fast acceptance is right.</summary>
    private static void AssertSameAsDtoPath(byte[] message)
    {
        bool dtoAccepted = ContractParser.TryParseWithDto(message, out AccountEvent? dtoEvent, out ContractError dtoError);

        bool accepted = ContractParser.TryParse(message, out AccountEvent? @event, out ContractError error);
        accepted.ShouldBe(dtoAccepted);
        error.ShouldBe(dtoError);
        AssertIdentical(@event, dtoEvent);

        if (ContractParser.TryParseFast(message, out AccountEvent? fastEvent))
        {
            dtoAccepted.ShouldBeTrue(dtoError.Message);
            AssertIdentical(fastEvent, dtoEvent);
        }
    }

    /// <summary>Record equality, plus the printed form: decimal scale, -0.0 and timestamp offsets are not part of Equals.</summary>
    private static void AssertIdentical(AccountEvent? actual, AccountEvent? expected)
    {
        actual.ShouldBe(expected);
        actual?.ToString().ShouldBe(expected!.ToString());
        actual?.OccurredAt.Offset.ShouldBe(expected!.OccurredAt.Offset);
        if (actual is UsageBilled charge)
        {
            var dto = (UsageBilled)expected!;
            charge.PeriodStart?.Offset.ShouldBe(dto.PeriodStart!.Value.Offset);
            charge.PeriodEnd?.Offset.ShouldBe(dto.PeriodEnd!.Value.Offset);
        }
    }

    [Fact]
    public void TryParseFast_EverySimulatedEvent_AcceptsWhatTheDtoPathAccepts()
    {
        foreach (byte[] message in Simulated.Value)
        {
            ContractParser.TryParseFast(message, out AccountEvent? fastEvent).ShouldBeTrue(Encoding.UTF8.GetString(message));
            ContractParser.TryParseWithDto(message, out AccountEvent? dtoEvent, out _).ShouldBeTrue();
            AssertIdentical(fastEvent, dtoEvent);
        }
    }

    [Theory]
    [MemberData(nameof(ContractExamples.ValidNames), MemberType = typeof(ContractExamples))]
    public void TryParseFast_ValidExample_AcceptsAsTheDtoPathDoes(string name)
    {
        byte[] message = ContractExamples.Utf8(ContractExamples.Valid[name].Json);

        ContractParser.TryParseFast(message, out AccountEvent? fastEvent).ShouldBeTrue();
        ContractParser.TryParseWithDto(message, out AccountEvent? dtoEvent, out _).ShouldBeTrue();
        AssertIdentical(fastEvent, dtoEvent);
    }

    [Property(MaxTest = 3000)]
    public void TryParse_MutatedSimulatedEvent_SameAsDtoPath(PositiveInt example, int[] positions, byte[] values, int operation)
    {
        byte[][] simulated = Simulated.Value;
        AssertSameAsDtoPath(Mutate(simulated[example.Get % simulated.Length], positions, values, operation));
    }

    [Property(MaxTest = 3000)]
    public void TryParse_ValidEventWithFieldsSetOrAppended_SameAsDtoPath(PositiveInt example, int[] choices, bool append)
    {
        string json = ValidJson[example.Get % ValidJson.Length];
        foreach (int raw in choices)
        {
            uint choice = (uint)raw;
            string field = FieldNames[choice % (uint)FieldNames.Length];
            string value = EquivalenceFragments[(choice / (uint)FieldNames.Length) % (uint)EquivalenceFragments.Length];

            // Appending the raw text makes duplicate properties, which MutateJson cannot.
            json = append
                ? json.Trim()[..^1] + ",\"" + field + "\":" + value + "}"
                : ContractExamples.MutateJson(json, field, value);
        }

        AssertSameAsDtoPath(ContractExamples.Utf8(json));
    }

    [Property(MaxTest = 1000)]
    public void TryParse_SimulatedEventWithAnyStringValue_SameAsDtoPath(PositiveInt example, PositiveInt field, string noise)
    {
        string json = Encoding.UTF8.GetString(Simulated.Value[example.Get % Simulated.Value.Length]);
        string name = FieldNames[field.Get % FieldNames.Length];

        AssertSameAsDtoPath(ContractExamples.Utf8(ContractExamples.MutateJson(json, name, ContractExamples.JsonString(noise ?? string.Empty))));
    }

    [Theory]
    // Escaped property names: the fast path declines, the DTO path unescapes and matches them.
    [InlineData("""{"event\u005fid":"e","event_type":"instance.terminated","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i"}""")]
    [InlineData("""{"event_id":"e","event\u005Ftype":"instance.terminated","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i"}""")]
    [InlineData("""{"event_id":"e","event_type":"instance.terminated","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i","\uD800x":1}""")]
    [InlineData("""{"event_id":"e","event_type":"instance.launched","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i","instance_type":"t","region":"r","caller":{"source\u005fasn":-1}}""")]
    // Duplicates: the last one wins, a nested object is replaced as a whole, null after a value clears it.
    [InlineData("""{"event_id":"e","event_type":"instance.terminated","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i","instance_id":"j","reason":"x","reason":null}""")]
    [InlineData("""{"event_id":"e","event_type":"instance.launched","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i","instance_type":"t","region":"r","caller":{"source_asn":1,"anonymizer":true},"caller":{"principal_id":"p"}}""")]
    [InlineData("""{"event_id":"e","event_type":"instance.launched","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i","instance_type":"t","region":"r","caller":{"source_asn":1},"caller":null}""")]
    [InlineData("""{"event_id":"e","event_type":"billing.charge","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","amount":"x","amount":1,"currency":"USD","usage_type":"u"}""")]
    [InlineData("""{"event_type":"billing.charge","event_type":"instance.terminated","event_id":"e","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i"}""")]
    // Numbers in exponent form, and numbers that do not fit the field's type.
    [InlineData("""{"event_id":"e","event_type":"billing.charge","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","amount":1.25E+2,"currency":"USD","usage_type":"u","usage_quantity":3e-2}""")]
    [InlineData("""{"event_id":"e","event_type":"instance.launched","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i","instance_type":"t","region":"r","gpu_count":8e0}""")]
    [InlineData("""{"event_id":"e","event_type":"instance.launched","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i","instance_type":"t","region":"r","network_gbps":-0.0,"gpu_count":-0}""")]
    [InlineData("""{"event_id":"e","event_type":"billing.charge","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","amount":12.500,"currency":"USD","usage_type":"u"}""")]
    [InlineData("""{"event_id":"e","event_type":"billing.charge","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","amount":"0012.50","currency":"USD","usage_type":"u"}""")]
    [InlineData("""{"event_id":"e","event_type":"billing.charge","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","amount":"\u0031","currency":"USD","usage_type":"u"}""")]
    // Metadata-like and case-variant names are ordinary unknown fields.
    [InlineData("""{"$id":"1","$type":"x","Event_Type":"y","event_id":"e","event_type":"instance.terminated","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i"}""")]
    // Escaped values, and non-ASCII values of cached (vocabulary) fields.
    [InlineData("""{"event_id":"e","event_type":"instance.access","occurred_at":"2026-03-01T12:00:00\u002B02:00","account_id":"a","principal_id":"p","protocol":"s\u0073h","source_country":"\u004eL"}""")]
    [InlineData("""{"event_id":"e","event_type":"instance.launched","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i","instance_type":"t\u00e9","region":"r\u00e9gion","zone":"z\uD83D\uDE00"}""")]
    // Trailing white space is fine; anything else after the object is not.
    [InlineData("{\"event_id\":\"e\",\"event_type\":\"instance.terminated\",\"occurred_at\":\"2026-03-01T12:00:00Z\",\"account_id\":\"a\",\"instance_id\":\"i\"} \r\n\t")]
    [InlineData("""{"event_id":"e","event_type":"instance.terminated","occurred_at":"2026-03-01T12:00:00Z","account_id":"a","instance_id":"i"}]""")]
    public void TryParse_Edge_SameAsDtoPath(string json)
    {
        AssertSameAsDtoPath(ContractExamples.Utf8(json));
    }

    [Theory]
    [InlineData("instance.launched", "region")]
    [InlineData("instance.launched", "instance_type")]
    [InlineData("instance.launched", "zone")]
    [InlineData("billing.charge", "usage_type")]
    [InlineData("instance.terminated", "reason")]
    [InlineData("instance.terminated", "instance_id")]
    public void TryParse_VeryLongString_IsKeptWhole(string eventType, string field)
    {
        string value = string.Concat(Enumerable.Range(0, 100_000).Select(i => (char)('a' + (i % 26))));
        byte[] message = ContractExamples.Utf8(ContractExamples.Mutate(eventType, field, ContractExamples.JsonString(value)));

        AssertSameAsDtoPath(message);
        ContractParser.TryParseFast(message, out AccountEvent? @event).ShouldBeTrue();
        @event!.ToString().ShouldContain(value);
    }

    [Fact]
    public void TryParse_RepeatedVocabularyValue_SharesOneString()
    {
        var first = (InstanceLaunched)Accept(ContractExamples.LaunchedMinimal);
        var second = (InstanceLaunched)Accept(ContractExamples.LaunchedMinimal);

        second.Region.ShouldBeSameAs(first.Region);
        second.InstanceType.ShouldBeSameAs(first.InstanceType);
        second.AccountId.ShouldBeSameAs(first.AccountId);
        second.InstanceId.ShouldBeSameAs(first.InstanceId);
        second.EventId.ShouldNotBeSameAs(first.EventId);
    }

    public static TheoryData<string> Caches => new() { nameof(Utf8StringCache.Vocabulary), nameof(Utf8StringCache.Ids) };

    [Theory]
    [MemberData(nameof(Caches))]
    public void Utf8StringCache_ManyDistinctValues_AlwaysReturnsTheRightString(string name)
    {
        Utf8StringCache cache = name == nameof(Utf8StringCache.Ids) ? Utf8StringCache.Ids : Utf8StringCache.Vocabulary;
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 5 * cache.SlotCount; i++)
            {
                // Same length, same first and last bytes: only the middle tells them apart.
                string expected = "v-" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + "-id";
                cache.GetOrCreate(Encoding.UTF8.GetBytes(expected)).ShouldBe(expected);
            }
        }

        string longValue = new('x', cache.MaxLength + 1);
        cache.GetOrCreate(Encoding.UTF8.GetBytes(longValue)).ShouldBe(longValue);
        cache.GetOrCreate(Encoding.UTF8.GetBytes("r\u00e9gion")).ShouldBe("r\u00e9gion");
        cache.GetOrCreate(Encoding.UTF8.GetBytes("r\u00e9gion")).ShouldBe("r\u00e9gion");
        cache.GetOrCreate([]).ShouldBe(string.Empty);
    }

    [Fact]
    public void Utf8StringCache_IdsDifferingOnlyInTheMiddle_HitTheirOwnSlots()
    {
        // 1,000 ids that differ only in bytes 9-12 of 24: a hash of the first and last eight bytes alone would put
        // them all in one slot and every look-up would miss.
        var cache = new Utf8StringCache(slotCount: 1 << 16, maxLength: 64);
        var first = new Dictionary<int, string>();
        for (int i = 0; i < 1000; i++)
        {
            string id = "account-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "-suffix-xyz";
            first[i] = cache.GetOrCreate(Encoding.UTF8.GetBytes(id));
        }

        int hits = 0;
        for (int i = 0; i < 1000; i++)
        {
            string id = "account-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "-suffix-xyz";
            string again = cache.GetOrCreate(Encoding.UTF8.GetBytes(id));
            again.ShouldBe(id);
            hits += ReferenceEquals(again, first[i]) ? 1 : 0;
        }

        hits.ShouldBeGreaterThan(950);
    }

    [Fact]
    public void Utf8StringCache_SlotCountNotAPowerOfTwo_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new Utf8StringCache(slotCount: 1000, maxLength: 8))
            .ParamName.ShouldBe("slotCount");

    [Property(MaxTest = 1000)]
    public void Rfc3339_Utf8AndUtf16_Agree(string text)
    {
        text ??= string.Empty;

        bool utf16 = Rfc3339.TryParse(text, out DateTimeOffset fromChars);
        bool utf8 = Rfc3339.TryParse(Encoding.UTF8.GetBytes(text), out DateTimeOffset fromBytes);

        utf8.ShouldBe(utf16);
        fromBytes.ShouldBe(fromChars);
        fromBytes.Offset.ShouldBe(fromChars.Offset);
    }
}

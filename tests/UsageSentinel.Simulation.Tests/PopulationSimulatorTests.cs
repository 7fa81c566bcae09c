using System.Globalization;
using System.Text.Json;
using UsageSentinel.Core.Events;
using UsageSentinel.Simulation.Tests.Support;

namespace UsageSentinel.Simulation.Tests;

[Collection(PopulationCollection.Name)]
public sealed class PopulationSimulatorTests
{
    private static readonly string[] EventTypes =
    [
        EventTypeNames.InstanceLaunched, EventTypeNames.InstanceTerminated, EventTypeNames.InstanceAccess,
        EventTypeNames.BillingCharge, EventTypeNames.BillingPayment, EventTypeNames.AccountUpserted,
    ];

    private static readonly string[] AbusiveScenarios =
    [
        ScenarioNames.IntermediaryResale, ScenarioNames.RestrictedTraining, ScenarioNames.Structuring, ScenarioNames.CompromiseSpike,
    ];

    private readonly DefaultPopulationFixture _population;
    private SimulationOptions _options = new() { Accounts = 40 };

    public PopulationSimulatorTests(DefaultPopulationFixture population) => _population = population;

    [Fact]
    public void Generate_SameOptions_ProducesIdenticalBytes()
    {
        byte[] first = Ndjson(CreateSut());
        byte[] second = Ndjson(CreateSut());

        first.Length.ShouldBeGreaterThan(0);
        first.SequenceEqual(second).ShouldBeTrue();
    }

    [Fact]
    public void Generate_EnumeratedTwice_ProducesIdenticalBytes()
    {
        PopulationSimulator sut = CreateSut();

        Ndjson(sut).SequenceEqual(Ndjson(sut)).ShouldBeTrue();
    }

    [Fact]
    public void Generate_DifferentSeed_ProducesDifferentEventsAndIds()
    {
        PopulationSimulator first = CreateSut();
        _options = new SimulationOptions { Accounts = 40, Seed = 43 };
        PopulationSimulator second = CreateSut();

        Ndjson(first).SequenceEqual(Ndjson(second)).ShouldBeFalse();
        first.Labels.Select(l => l.AccountId).ShouldNotBe(second.Labels.Select(l => l.AccountId));
    }

    [Fact]
    public void Generate_ParallelWorkers_ProduceTheSameBytesAsOne()
    {
        _options = new SimulationOptions { Accounts = 3 * PopulationSimulator.MinAccountsPerPartition, Duration = TimeSpan.FromDays(2) };

        byte[] sequential = Ndjson(new PopulationSimulator(_options) { MaxPartitions = 1 });
        byte[] parallel = Ndjson(new PopulationSimulator(_options) { MaxPartitions = 3 });

        parallel.SequenceEqual(sequential).ShouldBeTrue();
    }

    [Fact]
    public void Generate_MoreBenignAccounts_LeavesExistingAccountsUnchanged()
    {
        PopulationSimulator smaller = CreateSut();
        _options = new SimulationOptions { Accounts = 55 };
        PopulationSimulator larger = CreateSut();
        var kept = smaller.Labels.Select(l => l.AccountId).ToHashSet();

        List<byte[]> before = smaller.Generate().Select(e => e.Utf8Json).ToList();
        List<byte[]> after = larger.Generate().Where(e => kept.Contains(e.AccountId)).Select(e => e.Utf8Json).ToList();

        larger.Labels.Count.ShouldBe(smaller.Labels.Count + 15);
        after.Count.ShouldBe(before.Count);
        after.Zip(before).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second)).ShouldBeTrue();
    }

    [Fact]
    public void Generate_DefaultOptions_EventsAreSortedByTimeWithinThePeriod()
    {
        IReadOnlyList<SimulatedEvent> events = _population.Events;

        events.Zip(events.Skip(1)).ShouldAllBe(pair => pair.First.OccurredAt <= pair.Second.OccurredAt);
        events[0].OccurredAt.ShouldBeGreaterThanOrEqualTo(_population.Simulator.Start);
        events[^1].OccurredAt.ShouldBeLessThan(_population.Simulator.End);
    }

    [Fact]
    public void Generate_DefaultOptions_EveryEventCarriesTheContractsCommonFields()
    {
        foreach (ParsedEvent parsed in _population.Parsed)
        {
            JsonElement root = parsed.Root;
            string eventId = root.GetProperty("event_id").GetString()!;
            eventId.ShouldBe(parsed.Source.EventId);
            eventId.Length.ShouldBeInRange(1, 128);
            EventTypes.ShouldContain(parsed.Type);
            root.GetProperty("account_id").GetString().ShouldBe(parsed.AccountId);
            string occurredAt = root.GetProperty("occurred_at").GetString()!;
            DateTimeOffset.ParseExact(occurredAt, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                .ShouldBe(parsed.At);
            if (root.TryGetProperty("schema_version", out JsonElement version))
            {
                version.GetInt32().ShouldBe(1);
            }
        }
    }

    [Fact]
    public void Generate_DefaultOptions_EveryEventCarriesItsTypesRequiredFields()
    {
        var missing = new List<string>();
        foreach (ParsedEvent parsed in _population.Parsed)
        {
            string[] required = parsed.Type switch
            {
                EventTypeNames.InstanceLaunched => ["instance_id", "instance_type", "region"],
                EventTypeNames.InstanceTerminated => ["instance_id"],
                EventTypeNames.InstanceAccess => ["principal_id"],
                EventTypeNames.BillingCharge => ["amount", "currency", "usage_type"],
                EventTypeNames.BillingPayment => ["amount", "currency"],
                _ => [],
            };
            missing.AddRange(required.Where(name => !parsed.Has(name)).Select(name => $"{parsed.Source.EventId}: {name}"));
            if (parsed.Child("caller") is { } caller)
            {
                caller.GetProperty("principal_id").GetString().ShouldNotBeNullOrEmpty();
                caller.GetProperty("source_country").GetString()!.Length.ShouldBe(2);
                caller.GetProperty("source_asn").GetInt64().ShouldBePositive();
            }
        }

        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Generate_DefaultOptions_EventIdsAreUnique()
    {
        _population.Events.Select(e => e.EventId).Distinct().Count().ShouldBe(_population.Events.Count);
    }

    [Fact]
    public void Generate_DefaultOptions_TopicsFollowTheEventType()
    {
        foreach (ParsedEvent parsed in _population.Parsed)
        {
            string expected = parsed.Type switch
            {
                EventTypeNames.AccountUpserted => SimulationTopics.AccountProfiles,
                EventTypeNames.BillingCharge or EventTypeNames.BillingPayment => SimulationTopics.BillingEvents,
                _ => SimulationTopics.InstanceEvents,
            };
            parsed.Source.Topic.ShouldBe(expected);
        }
    }

    [Fact]
    public void Generate_DefaultOptions_EachAccountStartsWithItsProfile()
    {
        foreach (IGrouping<string, ParsedEvent> account in _population.ByAccount)
        {
            account.First().Type.ShouldBe(EventTypeNames.AccountUpserted);
            account.Count(e => e.Type == EventTypeNames.AccountUpserted).ShouldBe(1);
        }
    }

    [Fact]
    public void Generate_DefaultOptions_EveryTerminationFollowsItsLaunch()
    {
        var launched = new Dictionary<string, DateTimeOffset>();
        foreach (ParsedEvent parsed in _population.Parsed)
        {
            string? instanceId = parsed.Text("instance_id");
            if (parsed.Type == EventTypeNames.InstanceLaunched)
            {
                launched.TryAdd(instanceId!, parsed.At).ShouldBeTrue();
            }
            else if (parsed.Type == EventTypeNames.InstanceTerminated)
            {
                launched.ShouldContainKey(instanceId!);
                parsed.At.ShouldBeGreaterThan(launched[instanceId!]);
            }
        }
    }

    [Fact]
    public void Generate_DefaultOptions_ChargesHaveTwoDecimalAmountsInUsd()
    {
        foreach (ParsedEvent charge in _population.Parsed.Where(e => e.Type is EventTypeNames.BillingCharge or EventTypeNames.BillingPayment))
        {
            string raw = charge.Root.GetProperty("amount").GetRawText();
            raw.ShouldMatch(@"^\d+\.\d{2}$");
            charge.Text("currency").ShouldBe("USD");
        }
    }

    [Fact]
    public void Generate_DefaultOptions_LaunchesUseCatalogInstanceTypes()
    {
        var types = _population.Parsed.Where(e => e.Type == EventTypeNames.InstanceLaunched).Select(e => e.Text("instance_type")!).Distinct();

        types.ShouldAllBe(type => Compute.GpuCatalog.Instances.ContainsKey(type));
    }

    [Fact]
    public void Generate_DefaultOptions_OmitsOptionalFieldsSometimes()
    {
        var launches = _population.Parsed.Where(e => e.Type == EventTypeNames.InstanceLaunched).ToList();

        launches.ShouldContain(e => e.Has("gpu_model"));
        launches.ShouldContain(e => !e.Has("gpu_model"));
        launches.Count(e => e.Has("gpu_model")).ShouldBeLessThan(launches.Count / 2);
        _population.Parsed.ShouldContain(e => !e.Has("schema_version"));
    }

    [Fact]
    public void Labels_DefaultOptions_OneLabelPerAccountWithEveryScenario()
    {
        IReadOnlyList<ScenarioLabel> labels = _population.Simulator.Labels;

        labels.Select(l => l.AccountId).Distinct().Count().ShouldBe(labels.Count);
        _population.ByAccount.Select(g => g.Key).ToHashSet().SetEquals(labels.Select(l => l.AccountId)).ShouldBeTrue();
        labels.Count(l => !l.Abusive).ShouldBe(_population.Options.Accounts + _population.Options.VerifiedLabs);
        _population.LabelsOf(ScenarioNames.IntermediaryResale).Count.ShouldBe(2);
        _population.LabelsOf(ScenarioNames.RestrictedTraining).Count.ShouldBe(1);
        _population.LabelsOf(ScenarioNames.Structuring).Count.ShouldBeInRange(3, 4);
        _population.LabelsOf(ScenarioNames.CompromiseSpike).Count.ShouldBe(1);
        _population.LabelsOf(ScenarioNames.VerifiedAiLab).Count.ShouldBe(1);
        foreach (string scenario in new[] { ScenarioNames.ResearchLab, ScenarioNames.SteadyInference, ScenarioNames.EnterpriseReserved, ScenarioNames.HobbyistSpot })
        {
            _population.LabelsOf(scenario).ShouldNotBeEmpty();
        }
    }

    [Fact]
    public void Labels_DefaultOptions_AbusiveLabelsCarryAbuseStartAndDetectors()
    {
        foreach (ScenarioLabel label in _population.Simulator.Labels)
        {
            if (label.Abusive)
            {
                AbusiveScenarios.ShouldContain(label.Scenario);
                label.AbuseStart.ShouldNotBeNull();
                label.AbuseStart.Value.ShouldBeInRange(_population.Simulator.Start, _population.Simulator.End);
                label.ExpectedDetectors.ShouldHaveSingleItem().ShouldBe(label.Scenario switch
                {
                    ScenarioNames.IntermediaryResale => "resale_proxy",
                    ScenarioNames.RestrictedTraining => "training_scale",
                    ScenarioNames.Structuring => "linked_accounts",
                    _ => "usage_deviation",
                });
            }
            else
            {
                label.AbuseStart.ShouldBeNull();
                label.ExpectedDetectors.ShouldBeEmpty();
                label.LinkedAccountIds.ShouldBeEmpty();
            }
        }
    }

    [Fact]
    public void Labels_DefaultOptions_AbusiveAccountsAreInterleavedById()
    {
        List<bool> abusiveInIdOrder = _population.Simulator.Labels.OrderBy(l => l.AccountId, StringComparer.Ordinal).Select(l => l.Abusive).ToList();
        int first = abusiveInIdOrder.IndexOf(true);
        int last = abusiveInIdOrder.LastIndexOf(true);

        _population.Simulator.Labels.ShouldAllBe(l => l.AccountId.Length == 11 && l.AccountId.StartsWith("acct-"));
        (last - first + 1).ShouldBeGreaterThan(abusiveInIdOrder.Count(a => a));
    }

    [Fact]
    public void Labels_DefaultOptions_AreOrderedByAccountId()
    {
        _population.Simulator.Labels.Select(l => l.AccountId).ShouldBe(
            _population.Simulator.Labels.Select(l => l.AccountId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheProperty()
    {
        _options = new SimulationOptions { ResaleAccounts = -1 };

        Should.Throw<ArgumentOutOfRangeException>(CreateSut).ParamName.ShouldBe(nameof(SimulationOptions.ResaleAccounts));
    }

    [Fact]
    public void Constructor_OptionsChangedAfterwards_KeepsTheOriginalPopulation()
    {
        PopulationSimulator sut = CreateSut();
        int count = sut.Labels.Count;

        _options.Accounts = 5;

        sut.Generate().Select(e => e.AccountId).Distinct().Count().ShouldBe(count);
    }

    [Fact]
    public void Generate_ShortPeriod_StaysWithinThePeriod()
    {
        _options = new SimulationOptions { Accounts = 30, Duration = TimeSpan.FromHours(30), Start = new DateTimeOffset(2026, 3, 1, 8, 30, 15, 500, TimeSpan.FromHours(2)) };
        PopulationSimulator sut = CreateSut();

        List<SimulatedEvent> events = sut.Generate().ToList();

        sut.Start.ShouldBe(new DateTimeOffset(2026, 3, 1, 6, 30, 15, TimeSpan.Zero));
        events.ShouldNotBeEmpty();
        events.ShouldAllBe(e => e.OccurredAt >= sut.Start && e.OccurredAt < sut.End);
        sut.Labels.Where(l => l.Abusive).ShouldAllBe(l => l.AbuseStart >= sut.Start && l.AbuseStart < sut.End);
    }

    [Fact]
    public void Generate_NoAccountsAtAll_YieldsNothing()
    {
        _options = new SimulationOptions
        {
            Accounts = 0, ResaleAccounts = 0, RestrictedTrainingAccounts = 0, StructuringGroups = 0, CompromiseAccounts = 0, VerifiedLabs = 0,
        };

        PopulationSimulator sut = CreateSut();

        sut.Labels.ShouldBeEmpty();
        sut.Generate().ShouldBeEmpty();
    }

    /// <summary>
    /// Scale check: 2,000 benign accounts over 30 days (plus the default abusive ones). A 10,000-account run takes
    /// about 10 s on a two-core machine, too long for the unit suite; this one exercises the same code paths and
    /// partitioned generation.
    /// </summary>
    [Fact]
    public void Generate_TwoThousandAccountsOverThirtyDays_Completes()
    {
        _options = new SimulationOptions { Accounts = 2_000 };
        PopulationSimulator sut = CreateSut();
        long count = 0;
        long bytes = 0;

        foreach (SimulatedEvent simulated in sut.Generate())
        {
            count++;
            bytes += simulated.Utf8Json.Length;
        }

        sut.Labels.Count.ShouldBeGreaterThan(2_000);
        count.ShouldBeInRange(2_000L * 50, 2_000L * 500);
        (bytes / count).ShouldBeLessThan(600);
    }

    private PopulationSimulator CreateSut() => new(_options);

    private static byte[] Ndjson(PopulationSimulator simulator)
    {
        using var stream = new MemoryStream();
        EventFileWriter.WriteNdjson(stream, simulator.Generate());
        return stream.ToArray();
    }
}

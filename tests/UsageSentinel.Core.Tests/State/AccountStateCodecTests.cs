using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Detectors;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.Core.State;
using UsageSentinel.TestKit;
using Xunit.Abstractions;

namespace UsageSentinel.Core.Tests.State;

/// <summary>Snapshots of account state: exact round trips, the same detections after a restore, evolution, bad bytes.</summary>
public class AccountStateCodecTests
{
    private static readonly DateTimeOffset T0 = Some.Epoch;

    /// <summary>The history ends a minute before, and the continuation starts at, the same evaluation hour.</summary>
    private static readonly DateTimeOffset Cut = T0.AddDays(6).AddHours(12).AddMinutes(40);

    private static readonly string[] Accounts = ["reseller", "trainer", "inference", "small", "biller", "typical", "orphan", "marker"];

    private static readonly Lazy<Scenario> Shared = new(() => Scenario.Run(NewOptions()));

    private readonly ITestOutputHelper _log;

    public AccountStateCodecTests(ITestOutputHelper log) => _log = log;

    [Fact]
    public void Write_EngineAccounts_ReadWriteGivesIdenticalBytes()
    {
        var scenario = Shared.Value;
        foreach (var (account, bytes) in scenario.Snapshots)
        {
            var state = AccountStateCodec.Read(bytes, scenario.Models, scenario.Options);

            state.AccountId.ShouldBe(account);
            Encode(state, scenario.Models).ShouldBe(bytes, $"account {account}");
        }
    }

    [Fact]
    public void ImportAccount_AllAccounts_RestoredEngineRaisesTheSameAnomaliesAndEndsInTheSameState()
    {
        var scenario = Shared.Value;

        _log.WriteLine($"{scenario.ContinuationAnomalies.Count} anomalies after the snapshot:");
        foreach (var anomaly in scenario.ContinuationAnomalies)
        {
            _log.WriteLine(anomaly[..Math.Min(anomaly.Length, 160)]);
        }

        scenario.ContinuationAnomalies.Count.ShouldBeGreaterThan(0, "the continuation must detect something to compare");
        scenario.RestoredAnomalies.ShouldBe(scenario.ContinuationAnomalies);
        foreach (var account in Accounts)
        {
            scenario.FinalOriginal[account].ShouldBe(scenario.FinalRestored[account], $"account {account}");
        }
    }

    [Fact]
    public void Write_Accounts_CoverEveryOptionalPartAndTypicalAccountFitsInTwoKiB()
    {
        var scenario = Shared.Value;
        foreach (var (account, bytes) in scenario.Snapshots.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var state = AccountStateCodec.Read(bytes, scenario.Models, scenario.Options);
            _log.WriteLine($"{account,-10} {bytes.Length,5} bytes  runs {state.Runs.Count}, open {state.OpenInstances.Count}, usage {state.Usage is not null}, behaviour {state.Behaviour is not null}");
        }

        var typical = AccountStateCodec.Read(scenario.Snapshots["typical"], scenario.Models, scenario.Options);
        typical.OpenInstances.Count.ShouldBe(4);
        typical.Behaviour.ShouldNotBeNull();
        typical.Usage.ShouldNotBeNull();
        typical.Usage.Gpu.IsWarmedUp.ShouldBeTrue();
        scenario.Snapshots["typical"].Length.ShouldBeLessThan(2_048);

        var reseller = AccountStateCodec.Read(scenario.Snapshots["reseller"], scenario.Models, scenario.Options);
        reseller.Behaviour!.Principals.IsExact.ShouldBeFalse("40 principals: the sliding HyperLogLog is covered");
        reseller.Behaviour.KnownPrincipals.IsApproximate.ShouldBeTrue("40 principals: the Bloom filter is covered");
        AccountStateCodec.Read(scenario.Snapshots["orphan"], scenario.Models, scenario.Options).OrphanTerminations.ShouldNotBeEmpty();
    }

    [Fact]
    public void Read_HandBuiltState_RestoresEveryScalarAndOptionalSection()
    {
        var (models, options) = (new ModelTable(GpuCatalog.Default), NewOptions());
        var state = HandBuilt(options);

        var bytes = Encode(state, models);
        var read = AccountStateCodec.Read(bytes, models, options);

        read.Allowlisted.ShouldBeTrue();
        read.DeclaredCountry.ShouldBe("DE");
        read.KycStatus.ShouldBeNull();
        read.EntityType.ShouldBe("Ünïcode GmbH");
        read.CreatedAt.ShouldBe(state.CreatedAt);
        read.CreatedAt!.Value.Offset.ShouldBe(TimeSpan.FromHours(-5));
        read.RollingCrossedMask.ShouldBe(5);
        read.RollingIncidentOpen.ShouldBeTrue();
        read.RunTierCrossedTicks.ShouldBe(state.RunTierCrossedTicks);
        read.ResaleSeverity.ShouldBe(Severity.High);
        read.ResaleEvidence.ShouldBe(0.75);
        read.SweepOrder.ShouldBe(5);
        read.WakeTicks.ShouldBe(state.WakeTicks);
        read.Population.ShouldNotBeNull();
        read.Population.ShouldBeEquivalentTo(state.Population);
        read.Usage.ShouldNotBeNull();
        read.Usage.BillingIncidentOpen.ShouldBeTrue();
        read.Usage.CalmHours.ShouldBe(7);
        read.Behaviour.ShouldBeNull();
        Encode(read, models).ShouldBe(bytes);
    }

    [Fact]
    public void Write_LazilyCreatedPartsAbsentOrEmpty_WritesTheSameBytesAndReadsBackAbsent()
    {
        var (models, options) = (new ModelTable(GpuCatalog.Default), NewOptions());
        var tiers = options.TrainingScale.EffectiveTiersFlop.Count;
        var absent = new AccountState("lazy", 90, tiers) { LastEventTicks = T0.UtcTicks };
        absent.Behaviour = new Core.Behaviour.AccountBehaviour(options.ResaleProxy.WindowDays, options.ResaleProxy.ShareHalfLife);
        var present = new AccountState("lazy", 90, tiers) { LastEventTicks = T0.UtcTicks };
        present.Behaviour = new Core.Behaviour.AccountBehaviour(options.ResaleProxy.WindowDays, options.ResaleProxy.ShareHalfLife);
        _ = (present.OpenInstances, present.OrphanTerminations, present.Runs, present.RunTierCrossedTicks, present.RunTierProjectedTicks, present.Daily);
        _ = (present.Behaviour.SshKeys, present.Behaviour.PaymentFingerprints, present.Behaviour.Regions, present.Behaviour.GpuModels);

        var bytes = Encode(absent, models);
        Encode(present, models).ShouldBe(bytes);

        var read = AccountStateCodec.Read(bytes, models, options);
        read.OpenInstances.HasStorage.ShouldBeFalse();
        read.OrphanTerminationsIfAny.ShouldBeNull();
        read.RunsIfAny.ShouldBeNull();
        read.DailyIfAny.ShouldBeNull();
        read.Behaviour.ShouldNotBeNull();
        read.Behaviour.SshKeys.StorageBytes.ShouldBe(0, "an unused counter holds no storage");
        read.Behaviour.PaymentFingerprints.StorageBytes.ShouldBe(0);
        read.Behaviour.Regions.StorageBytes.ShouldBe(0, "an unused set holds no storage");
        read.Behaviour.GpuModels.StorageBytes.ShouldBe(0);
        read.RunTierCrossed(tiers - 1).ShouldBe(long.MinValue);
        Encode(read, models).ShouldBe(bytes);
    }

    [Fact]
    public void Read_ModelNamesMapThroughTheReadersTable_NotIndexes()
    {
        var options = NewOptions();
        var writerModels = new ModelTable(GpuCatalog.Default);
        var exotic = writerModels.IndexOf(GpuModelSpec.Unknown("exotic-1"));
        var state = new AccountState("acct", 90, options.TrainingScale.EffectiveTiersFlop.Count) { LastEventTicks = T0.UtcTicks };
        var run = new ComputeRun("r", "us-east-1", null, T0.UtcTicks);
        state.Runs.Add(run);
        state.Compute.Start(exotic, 8, 0, T0.UtcTicks, state.Daily);
        state.OpenInstances.TryAdd(new OpenInstance { InstanceId = "i-1", ModelIndex = exotic, Gpus = 8, PeakFlopsPerGpu = 0, LaunchedTicks = T0.UtcTicks, Run = run }).ShouldBeTrue();

        var readerModels = new ModelTable(GpuCatalog.Default);
        readerModels.IndexOf(GpuModelSpec.Unknown("another"));
        var read = AccountStateCodec.Read(Encode(state, writerModels), readerModels, options);

        var index = read.OpenInstances.Items[0].ModelIndex;
        index.ShouldNotBe(exotic);
        readerModels[index].Name.ShouldBe("exotic-1");
        read.Compute.GpuSecondsByModel.Length.ShouldBeGreaterThan(index);
    }

    [Fact]
    public void Read_SectionsWithUnknownTails_ReadAsIfTheTailsWereNotThere()
    {
        var scenario = Shared.Value;
        foreach (var (account, bytes) in scenario.Snapshots)
        {
            var record = Record.Parse(bytes);
            for (var s = 0; s < record.Sections.Count; s++)
            {
                if (record.Sections[s].Length == 0)
                {
                    continue; // an absent object: a tail would make it present
                }

                var newer = record.WithSection(s, [.. record.Sections[s], 0xAB, 0xCD, 0x01]);

                var state = AccountStateCodec.Read(newer, scenario.Models, scenario.Options);

                Encode(state, scenario.Models).ShouldBe(bytes, $"account {account}, section {s + 1}");
            }
        }
    }

    [Fact]
    public void Read_UnknownSectionsAppended_AreSkipped()
    {
        var scenario = Shared.Value;
        var bytes = scenario.Snapshots["typical"];
        var newer = Record.Parse(bytes).WithAppendedSections([0x01, 0x02, 0x03], [], [0xFF]);

        Encode(AccountStateCodec.Read(newer, scenario.Models, scenario.Options), scenario.Models).ShouldBe(bytes);
    }

    [Fact]
    public void Read_OlderShorterSections_DefaultTheMissingFields()
    {
        var (models, options) = (new ModelTable(GpuCatalog.Default), NewOptions());
        var record = Record.Parse(Encode(HandBuilt(options), models));
        var account = record.Sections[0];
        var population = record.Sections[8];

        // As if resale evidence and the sweep order (the account section's last fields; 5 is one varint byte) and
        // population severity had been added later.
        var older = record.WithSection(0, account[..^(sizeof(double) + 1)]);
        older = Record.Parse(older).WithSection(8, population[..^1]);
        var read = AccountStateCodec.Read(older, models, options);

        read.ResaleEvidence.ShouldBe(0);
        read.SweepOrder.ShouldBe(0);
        read.ResaleSeverity.ShouldBe(Severity.High, "the fields before the cut are read");
        read.Population!.Severity.ShouldBe(default);
        read.Population.IncidentNumber.ShouldBe(3);
    }

    [Fact]
    public void Read_OlderRecordWithFewerSections_LeavesTheMissingPartsAbsent()
    {
        var scenario = Shared.Value;
        var record = Record.Parse(scenario.Snapshots["typical"]);
        var older = new Record(record.Sections.Take(6).ToList()).ToBytes();

        var read = AccountStateCodec.Read(older, scenario.Models, scenario.Options);

        read.Behaviour.ShouldBeNull();
        read.Usage.ShouldBeNull();
        read.WakeTicks.ShouldBe(long.MinValue, "a record from before the sweep schedule: evaluated at the next boundary");
        read.OpenInstances.Count.ShouldBe(4);
    }

    [Fact]
    public void Read_NewerFormatVersion_IsRejectedNamingTheVersion()
    {
        var scenario = Shared.Value;
        var bytes = scenario.Snapshots["typical"].ToArray();
        bytes[4] = AccountStateCodec.FormatVersion + 1;

        var error = Should.Throw<InvalidDataException>(() => AccountStateCodec.Read(bytes, scenario.Models, scenario.Options));

        error.Message.ShouldContain("format version");
        error.Message.ShouldContain("version 2");
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsInvalidDataNamingWhatWasRead()
    {
        var scenario = Shared.Value;
        foreach (var account in new[] { "typical", "reseller", "trainer" })
        {
            var bytes = scenario.Snapshots[account];
            for (var length = 0; length < bytes.Length; length++)
            {
                var error = Should.Throw<InvalidDataException>(() => AccountStateCodec.Read(bytes.AsSpan(0, length), scenario.Models, scenario.Options));
                error.Message.ShouldContain("reading");
            }
        }

        var cut = scenario.Snapshots["typical"][..40];
        Should.Throw<InvalidDataException>(() => AccountStateCodec.Read(cut, scenario.Models, scenario.Options))
            .Message.ShouldStartWith("Account state is truncated in section 'header' reading account at byte 7");
    }

    [Property(MaxTest = 300)]
    public void Read_RandomBytes_ThrowsNothingButInvalidData(byte[] bytes, bool withHeader)
    {
        var scenario = Shared.Value;
        var data = withHeader ? [.. "USAS"u8, AccountStateCodec.FormatVersion, .. bytes] : bytes;

        ReadOrInvalid(data, scenario);
    }

    [Property(MaxTest = 500)]
    public void Read_MutatedSnapshot_ThrowsNothingButInvalidData(PositiveInt seed, byte flips)
    {
        var scenario = Shared.Value;
        var random = new Random(seed.Get);
        var source = scenario.Snapshots[Accounts[random.Next(Accounts.Length)]];
        var data = source.ToArray();
        for (var i = 0; i <= flips % 4; i++)
        {
            data[random.Next(5, data.Length)] = (byte)random.Next(256);
        }

        ReadOrInvalid(data, scenario);
    }

    private static void ReadOrInvalid(byte[] data, Scenario scenario)
    {
        try
        {
            var state = AccountStateCodec.Read(data, scenario.Models, scenario.Options);
            Encode(state, scenario.Models); // whatever was accepted can be written again
        }
        catch (InvalidDataException)
        {
            // expected for most inputs
        }
    }

    private static DetectionOptions NewOptions() => new() { AllowedLateness = TimeSpan.Zero };

    private static byte[] Encode(AccountState state, ModelTable models)
    {
        var output = new ArrayBufferWriter<byte>();
        AccountStateCodec.Write(state, models, output);
        return output.WrittenSpan.ToArray();
    }

    private static AccountState HandBuilt(DetectionOptions options)
    {
        var tiers = options.TrainingScale.EffectiveTiersFlop.Count;
        var state = new AccountState("hand", 90, tiers)
        {
            LastEventTicks = T0.UtcTicks,
            FirstSeenTicks = T0.AddDays(-30).UtcTicks,
            Allowlisted = true,
            DeclaredCountry = "DE",
            EntityType = "Ünïcode GmbH",
            CreatedAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(-5)),
            RollingCrossedMask = 5,
            RollingProjectedMask = 7,
            RollingIncidentOpen = true,
            RollingIncidentOpenedTicks = T0.AddHours(-3).UtcTicks,
            ResaleIncidentNumber = 2,
            ResaleSeverity = Severity.High,
            ResaleEvidence = 0.75,
            SweepOrder = 5,
            WakeTicks = T0.AddHours(7).UtcTicks,
            Population = new PopulationOutlierState { Flagged = 4, Quiet = 1, IncidentOpen = true, IncidentNumber = 3, Severity = Severity.Critical },
        };
        state.RunTierCrossedTicks[0] = T0.AddDays(-1).UtcTicks;
        state.RunTierProjectedTicks[tiers - 1] = long.MaxValue;
        var usage = new DeviationDetector(options.Deviation, [], new ModelTable(GpuCatalog.Default)).ProfileOf(state);
        usage.BillingIncidentOpen = true;
        usage.BillingIncidentNumber = 1;
        usage.BillingIncidentDay = T0.UtcTicks / TimeSpan.TicksPerDay;
        usage.CalmHours = 7;
        usage.Spend.Seed(100, 10, 3);
        return state;
    }

    /// <summary>A history through one engine, snapshots, and a continuation through it and a restored twin.</summary>
    private sealed record Scenario(
        DetectionOptions Options,
        ModelTable Models,
        Dictionary<string, byte[]> Snapshots,
        List<string> ContinuationAnomalies,
        List<string> RestoredAnomalies,
        Dictionary<string, byte[]> FinalOriginal,
        Dictionary<string, byte[]> FinalRestored)
    {
        public static Scenario Run(DetectionOptions options)
        {
            var events = Events().OrderBy(e => e.OccurredAt).ToList();
            var history = events.Where(e => e.OccurredAt < Cut).ToList();
            var continuation = events.Where(e => e.OccurredAt >= Cut).ToList();

            var originalOutput = new RecordingOutput<int>();
            var original = new DetectionEngine<int>(options, GpuCatalog.Default, originalOutput);
            var token = 0;
            foreach (var e in history)
            {
                original.Offer(e, token++);
            }

            var snapshots = Export(original);
            var restoredOutput = new RecordingOutput<int>();
            var restored = new DetectionEngine<int>(options, GpuCatalog.Default, restoredOutput);
            foreach (var bytes in snapshots.Values)
            {
                restored.ImportAccount(bytes);
            }

            var before = originalOutput.Anomalies.Count;
            foreach (var e in continuation)
            {
                original.Offer(e, token);
                restored.Offer(e, token++);
            }

            original.Flush();
            restored.Flush();
            var readerModels = new ModelTable(GpuCatalog.Default);
            return new Scenario(
                options,
                readerModels,
                snapshots,
                Describe(originalOutput.Anomalies.Skip(before)),
                Describe(restoredOutput.Anomalies),
                Export(original),
                Export(restored));
        }

        private static Dictionary<string, byte[]> Export(DetectionEngine<int> engine)
        {
            var snapshots = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var account in Accounts)
            {
                var output = new ArrayBufferWriter<byte>();
                engine.TryExportAccount(account, output).ShouldBeTrue(account);
                snapshots[account] = output.WrittenSpan.ToArray();
            }

            return snapshots;
        }

        private static List<string> Describe(IEnumerable<(AnomalyDetected Anomaly, int Token)> anomalies) =>
            [.. anomalies.Select(a => $"{a.Token:D6} {Encoding.UTF8.GetString(AnomalyJson.ToUtf8(a.Anomaly))}").Order(StringComparer.Ordinal)];

        private static IEnumerable<AccountEvent> Events()
        {
            string[] countries = ["CN", "HK", "RU", "IR", "SG", "AE"];
            yield return A.Profile("reseller", T0, "SG", "business", "pending", createdAt: T0.AddDays(-3));
            yield return A.Profile("typical", T0, "US", "business", "verified", createdAt: T0.AddYears(-2));
            yield return A.Profile("inference", T0, "DE", "business", "verified", createdAt: T0.AddYears(-1));
            yield return A.Profile("small", T0, "US", "business", "verified", createdAt: T0.AddYears(-1));
            yield return A.Profile("trainer", T0, "US", "business", "verified", createdAt: T0.AddYears(-1));
            for (var n = 0; n < 4; n++)
            {
                yield return A.Launch("reseller", $"reseller-i{n}", T0.AddMinutes(5 + n));
                yield return A.Launch("typical", $"typical-i{n}", T0.AddMinutes(7 + n));
            }

            yield return A.Launch("small", "tiny", T0.AddMinutes(1), "a2-highgpu-1g");
            yield return A.Launch("inference", "base-0", T0.AddMinutes(1));
            yield return A.Launch("inference", "base-1", T0.AddMinutes(1), region: "eu-central-1", gpuModel: "X-9000", gpuCount: 4);
            yield return A.Terminate("orphan", "never-launched", T0.AddHours(2));
            yield return A.Access("orphan", T0.AddHours(3));
            foreach (var e in A.Cluster("trainer", 16, T0.AddDays(2), TimeSpan.FromDays(3)))
            {
                yield return e;
            }

            foreach (var e in A.Cluster("trainer", 64, T0.AddDays(5).AddHours(6), null, placementGroup: "pg-2"))
            {
                yield return e;
            }

            for (var h = 1; h < 10 * 24; h++)
            {
                var t = T0.AddHours(h);
                yield return A.Access("reseller", t.AddMinutes(7), $"user-{h % 40}", countries[h % countries.Length], 4000 + (h % 9), anonymizer: h % 3 == 0);
                yield return A.Access("typical", t.AddMinutes(3), $"dev-{h % 3}", "US", 7922);
                yield return A.Access("small", t.AddMinutes(2), "alice", "US");
            }

            for (var d = 0; d < 10; d++)
            {
                var morning = T0.AddDays(d).AddHours(7);
                for (var n = 0; n < 4; n++)
                {
                    yield return A.Launch("inference", $"day{d}-{n}", morning.AddMinutes(n));
                    yield return A.Terminate("inference", $"day{d}-{n}", morning.AddHours(11));
                }

                yield return A.Charge("biller", T0.AddDays(d).AddMinutes(10), d == 5 ? 90_000m : 100m);
                yield return A.Charge("typical", T0.AddDays(d).AddMinutes(20), 2_400m);
            }

            yield return A.Payment("reseller", T0.AddDays(1), kind: "crypto", fingerprint: "fp-reseller", thirdParty: true);
            yield return A.Payment("typical", T0.AddDays(2), fingerprint: "fp-typical");
            yield return A.Payment("biller", T0.AddDays(2), fingerprint: "fp-biller");

            // The continuation: the small account suddenly runs hundreds of GPUs; the reseller's nodes stop.
            var spike = Cut.AddHours(14);
            for (var n = 0; n < 60; n++)
            {
                yield return A.Launch("small", $"burst-{n}", spike, "p4d.24xlarge", region: "ap-south-1");
            }

            for (var n = 0; n < 4; n++)
            {
                yield return A.Terminate("reseller", $"reseller-i{n}", Cut.AddHours(20));
            }

            yield return A.Access("marker", Cut.AddMinutes(-1));
            yield return A.Access("marker", Cut);
        }
    }

    /// <summary>A record split into its top-level sections, to build older and newer variants.</summary>
    private sealed record Record(List<byte[]> Sections)
    {
        public static Record Parse(byte[] bytes)
        {
            var position = 5;
            var count = (int)Varint(bytes, ref position);
            var sections = new List<byte[]>();
            for (var i = 0; i < count; i++)
            {
                var length = (int)Varint(bytes, ref position);
                sections.Add(bytes[position..(position + length)]);
                position += length;
            }

            position.ShouldBe(bytes.Length);
            return new Record(sections);
        }

        public byte[] WithSection(int index, byte[] payload)
        {
            var sections = Sections.ToList();
            sections[index] = payload;
            return new Record(sections).ToBytes();
        }

        public byte[] WithAppendedSections(params byte[][] payloads) => new Record([.. Sections, .. payloads]).ToBytes();

        public byte[] ToBytes()
        {
            var bytes = new List<byte>([.. "USAS"u8, AccountStateCodec.FormatVersion]);
            WriteVarint(bytes, (ulong)Sections.Count);
            foreach (var section in Sections)
            {
                WriteVarint(bytes, (ulong)section.Length);
                bytes.AddRange(section);
            }

            return [.. bytes];
        }

        private static ulong Varint(byte[] bytes, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        private static void WriteVarint(List<byte> bytes, ulong value)
        {
            while (value >= 0x80)
            {
                bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            bytes.Add((byte)value);
        }
    }
}

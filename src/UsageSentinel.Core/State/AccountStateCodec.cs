using System.Buffers;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Baselines;
using UsageSentinel.Core.Behaviour;
using UsageSentinel.Core.Detectors;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Core.State;

/// <summary>
/// A compact, versioned binary form of one account's complete detection state (<see cref="AccountState"/> and
/// everything it holds), for snapshots to a changelog topic. The bytes are self-contained; the caller wraps them
/// with whatever it keeps per snapshot (e.g. the input offset).
/// </summary>
/// <remarks>
/// <para><b>Layout.</b></para>
/// <code>
/// record  := magic "USAS" · format version (byte, 1) · section count (varint) · section × count
/// section := payload length (varint) · payload      (length 0: an absent optional object)
/// </code>
/// <para>
/// Top-level sections, in order: 1 account, 2 compute, 3 daily window, 4 runs, 5 open instances, 6 orphan
/// terminations, 7 behaviour (absent before first use), 8 usage profile (absent before first use), 9 population
/// outlier (absent before first scoring). Each type's <c>WriteState</c> documents its payload. Fixed-width numbers
/// are little-endian (<see cref="System.Buffers.Binary.BinaryPrimitives"/>), doubles and floats bit for bit; counts
/// and small integers are LEB128 varints (zigzag when signed); strings are a varint of UTF-8 length + 1 (0 = null)
/// then the bytes; event times are zigzag varints relative to the account's last event time (0 = none,
/// <see cref="long.MinValue"/>), which is the first field of the account section. GPU models are written by name,
/// never by index, and mapped back through the reading loop's <see cref="ModelTable"/>. Lists of records (runs,
/// open instances) hold one section per element, so elements can grow fields too.
/// </para>
/// <para><b>Schema evolution.</b> The rule for every change after version 1:</para>
/// <list type="number">
/// <item>A new field is appended at the end of its section, never inserted or reordered, and read with the default
/// a fresh object has (the <c>absent</c> argument of <see cref="StateReader"/>'s methods): a reader finding the
/// section at its end defaults every field not yet read, so newer readers read older, shorter sections.</item>
/// <item>Readers skip whatever is left of a section when they have read the fields they know, so older readers read
/// newer, longer sections. A field is never removed; one no longer needed is still written (its default).</item>
/// <item>A new part of the state is a new top-level section appended after the last one: the section count lets
/// older readers skip it, and newer readers treat missing trailing sections as absent.</item>
/// <item>The format version changes only when bytes must be read differently (a field's encoding or meaning);
/// <see cref="Read"/> keeps reading every version ever written, version 1 forever, and rejects newer versions.</item>
/// </list>
/// <para>
/// <b>Configuration is not state.</b> Window lengths, half-lives, precisions and tier counts come from the reading
/// engine's <see cref="DetectionOptions"/>. A sketch or baseline written under another shape (precision, window,
/// season count) restores empty; daily buckets are placed in the configured window; tier times beyond the configured
/// tier count are dropped, missing ones are none.
/// </para>
/// <para>
/// <b>Errors.</b> Truncated or corrupt bytes raise an <see cref="InvalidDataException"/> naming the section and
/// field being read and the byte offset; nothing else escapes <see cref="Read"/>.
/// </para>
/// </remarks>
internal static class AccountStateCodec
{
    /// <summary>The format version this code writes.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The number of top-level sections version 1 writes.</summary>
    public const int SectionCount = 11;

    /// <summary>The format's magic bytes, "USAS": UsageSentinel account state.</summary>
    public static ReadOnlySpan<byte> Magic => "USAS"u8;

    private const byte Allowlisted = 1;
    private const byte RollingIncidentOpen = 2;
    private const byte ResaleIncidentOpen = 4;
    private const byte InSweepList = 8;
    private const byte UsageIncidentOpen = 1;
    private const byte BillingIncidentOpen = 2;
    private const int MaxOffsetMinutes = 14 * 60;
    private const long MaxTicks = 3_155_378_975_999_999_999; // DateTime.MaxValue.Ticks

    private static readonly SeasonalBaselineOptions HourlyBaseline = DeviationDetector.HourlyBaselineOptions();
    private static readonly SeasonalBaselineOptions DailyBaseline = DeviationDetector.DailyBaselineOptions();

    /// <summary>Writes the complete state of one account.</summary>
    /// <param name="state">The account's state.</param>
    /// <param name="models">The model table of the loop that owns <paramref name="state"/>.</param>
    /// <param name="output">Receives the bytes.</param>
    public static void Write(AccountState state, ModelTable models, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new StateWriter();
        foreach (var b in Magic)
        {
            writer.WriteByte(b);
        }

        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt64(SectionCount);
        writer.BaseTicks = state.LastEventTicks;

        var start = writer.BeginSection();
        WriteAccount(writer, state);
        writer.EndSection(start);

        start = writer.BeginSection();
        state.Compute.WriteState(writer, models);
        writer.EndSection(start);

        start = writer.BeginSection();
        (state.DailyIfAny ?? new DailyComputeWindow(state.RollingDays)).WriteState(writer);
        writer.EndSection(start);

        start = writer.BeginSection();
        WriteRuns(writer, state, models);
        writer.EndSection(start);

        start = writer.BeginSection();
        WriteOpenInstances(writer, state, models);
        writer.EndSection(start);

        start = writer.BeginSection();
        writer.WriteVarUInt64((ulong)(state.OrphanTerminationsIfAny?.Count ?? 0));
        foreach (var (instanceId, ticks) in (state.OrphanTerminationsIfAny ?? Enumerable.Empty<KeyValuePair<string, long>>()).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            writer.WriteString(instanceId);
            writer.WriteTicks(ticks);
        }

        writer.EndSection(start);

        if (state.Behaviour is { } behaviour)
        {
            start = writer.BeginSection();
            behaviour.WriteState(writer);
            writer.EndSection(start);
        }
        else
        {
            writer.WriteAbsentSection();
        }

        if (state.Usage is { } usage)
        {
            start = writer.BeginSection();
            WriteUsage(writer, usage);
            writer.EndSection(start);
        }
        else
        {
            writer.WriteAbsentSection();
        }

        if (state.Population is { } population)
        {
            start = writer.BeginSection();
            writer.WriteVarInt64(population.Flagged);
            writer.WriteVarInt64(population.Quiet);
            writer.WriteBool(population.IncidentOpen);
            writer.WriteVarInt64(population.IncidentNumber);
            writer.WriteByte((byte)population.Severity);
            writer.EndSection(start);
        }
        else
        {
            writer.WriteAbsentSection();
        }

        if (state.Inputs is { Count: > 0 } inputs)
        {
            start = writer.BeginSection();
            WriteInputs(writer, inputs);
            writer.EndSection(start);
        }
        else
        {
            writer.WriteAbsentSection();
        }

        // Section 11 (added after version 1's first ten): when a sweep must next evaluate the account.
        if (state.WakeTicks != long.MinValue)
        {
            start = writer.BeginSection();
            writer.WriteTicks(state.WakeTicks);
            writer.EndSection(start);
        }
        else
        {
            writer.WriteAbsentSection();
        }

        output.Write(writer.Written);
    }

    /// <summary>Reads the complete state of one account written by <see cref="Write"/>, of any format version up to this one.</summary>
    /// <param name="data">The bytes: exactly one record.</param>
    /// <param name="models">The model table of the loop that will own the state; unknown model names are added.</param>
    /// <param name="options">The options of the engine that will own the state: window lengths, half-lives, tiers.</param>
    /// <returns>The state.</returns>
    /// <exception cref="InvalidDataException">The bytes are truncated, corrupt, or of a newer format version.</exception>
    public static AccountState Read(ReadOnlySpan<byte> data, ModelTable models, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        var reader = new StateReader(data, "header");
        if (!reader.ReadBytes(Magic.Length, "magic").SequenceEqual(Magic))
        {
            throw reader.Corrupt("magic", "these bytes are not an account state");
        }

        reader.RequireMore("format version");
        var version = reader.ReadByte("format version");
        if (version is 0 or > FormatVersion)
        {
            throw reader.Corrupt("format version", $"version {version} is not one this reader knows (1 to {FormatVersion})");
        }

        reader.RequireMore("section count");
        var sections = reader.ReadVarCount("section count", reader.Remaining);
        if (sections < 1)
        {
            throw reader.Corrupt("section count", "there is no account section");
        }

        if (!reader.TryEnterSection("account", out var outer))
        {
            throw reader.Corrupt("account", "the account section is empty");
        }

        var state = ReadAccount(ref reader, options);
        reader.ExitSection(outer);

        for (var section = 2; section <= sections; section++)
        {
            reader.RequireMore("section length");
            switch (section)
            {
                case 2 when reader.TryEnterSection("compute", out outer):
                    state.Compute.ReadState(ref reader, models);
                    reader.ExitSection(outer);
                    break;
                case 3 when reader.TryEnterSection("daily window", out outer):
                    state.Daily.ReadState(ref reader);
                    state.DropEmptyDaily();
                    reader.ExitSection(outer);
                    break;
                case 4 when reader.TryEnterSection("runs", out outer):
                    ReadRuns(ref reader, state, models);
                    reader.ExitSection(outer);
                    break;
                case 5 when reader.TryEnterSection("open instances", out outer):
                    ReadOpenInstances(ref reader, state, models);
                    reader.ExitSection(outer);
                    break;
                case 6 when reader.TryEnterSection("orphan terminations", out outer):
                    ReadOrphans(ref reader, state);
                    reader.ExitSection(outer);
                    break;
                case 7 when reader.TryEnterSection("behaviour", out outer):
                    var behaviour = new AccountBehaviour(options.ResaleProxy.WindowDays, options.ResaleProxy.ShareHalfLife);
                    behaviour.ReadState(ref reader);
                    state.Behaviour = behaviour;
                    reader.ExitSection(outer);
                    break;
                case 8 when reader.TryEnterSection("usage", out outer):
                    state.Usage = ReadUsage(ref reader);
                    reader.ExitSection(outer);
                    break;
                case 9 when reader.TryEnterSection("population outlier", out outer):
                    state.Population = ReadPopulation(ref reader);
                    reader.ExitSection(outer);
                    break;
                case 10 when reader.TryEnterSection("inputs", out outer):
                    state.Inputs = ReadInputs(ref reader);
                    reader.ExitSection(outer);
                    break;
                case 11 when reader.TryEnterSection("sweep schedule", out outer):
                    state.WakeTicks = reader.ReadTicks("wake time");
                    reader.ExitSection(outer);
                    break;
                case > SectionCount:
                    reader.SkipSection("unknown section");
                    break;
                default:
                    break; // an empty section: an absent object
            }
        }

        if (!reader.AtSectionEnd)
        {
            throw reader.Corrupt("end of record", $"{reader.Remaining} bytes follow the last section");
        }

        return state;
    }

    /// <summary>
    /// Section 10, per input stream: stream, highest offset offered, and the offsets at or below it the state does not
    /// reflect (still waiting, or missing since a restore), ascending and delta-encoded.
    /// </summary>
    private static void WriteInputs(StateWriter writer, List<InputTrack> inputs)
    {
        writer.WriteVarUInt64((ulong)inputs.Count);

        // In stream order, not in the order the streams first delivered: that depends on how inputs interleaved.
        foreach (var track in inputs.OrderBy(t => t.Stream))
        {
            writer.WriteVarInt64(track.Stream);
            writer.WriteVarInt64(track.MaxOffered);
            var missing = new List<long>(track.Missing.Count + track.Buffered.Count);
            missing.AddRange(track.Missing);
            missing.AddRange(track.Buffered);
            missing.Sort();
            writer.WriteVarUInt64((ulong)missing.Count);
            var previous = -1L;
            foreach (var offset in missing)
            {
                writer.WriteVarInt64(offset - previous);
                previous = offset;
            }
        }
    }

    private static List<InputTrack> ReadInputs(ref StateReader reader)
    {
        var count = reader.ReadElementCount("input streams", 3);
        var inputs = new List<InputTrack>(count);
        for (var i = 0; i < count; i++)
        {
            var track = new InputTrack(reader.ReadVarInt64("input stream")) { MaxOffered = reader.ReadVarInt64("highest offered offset", -1) };
            var missing = reader.ReadElementCount("missing offsets", 1);
            var previous = -1L;
            for (var m = 0; m < missing; m++)
            {
                previous += reader.ReadVarInt64("missing offset");
                track.Missing.Add(previous);
            }

            inputs.Add(track);
        }

        return inputs;
    }

    private static void WriteAccount(StateWriter writer, AccountState state)
    {
        writer.WriteInt64(state.LastEventTicks);
        writer.WriteString(state.AccountId);
        var flags = (byte)((state.Allowlisted ? Allowlisted : 0)
            | (state.RollingIncidentOpen ? RollingIncidentOpen : 0)
            | (state.ResaleIncidentOpen ? ResaleIncidentOpen : 0)
            | (state.InSweepList ? InSweepList : 0));
        writer.WriteByte(flags);
        writer.WriteString(state.DeclaredCountry);
        writer.WriteString(state.KycStatus);
        writer.WriteString(state.EntityType);
        writer.WriteTicks(state.CreatedAt?.UtcTicks ?? long.MinValue);
        if (state.CreatedAt is { } createdAt)
        {
            writer.WriteVarInt64((long)createdAt.Offset.TotalMinutes);
        }

        writer.WriteTicks(state.FirstSeenTicks);
        writer.WriteTicks(state.ActiveSinceTicks);
        writer.WriteVarUInt64(unchecked((uint)state.RollingCrossedMask));
        writer.WriteVarUInt64(unchecked((uint)state.RollingProjectedMask));
        writer.WriteTicks(state.RollingIncidentOpenedTicks);
        writer.WriteVarUInt64((ulong)state.TierCount);
        for (var tier = 0; tier < state.TierCount; tier++)
        {
            writer.WriteTicks(state.RunTierCrossed(tier));
            writer.WriteTicks(state.RunTierProjected(tier));
        }

        writer.WriteVarInt64(state.ResaleIncidentNumber);
        writer.WriteByte((byte)state.ResaleSeverity);
        writer.WriteDouble(state.ResaleEvidence);
        writer.WriteVarInt64(state.SweepOrder);
    }

    private static AccountState ReadAccount(ref StateReader reader, DetectionOptions options)
    {
        reader.RequireMore("last event time");
        var lastEvent = reader.ReadInt64("last event time");
        reader.BaseTicks = lastEvent;
        reader.RequireMore("account id");
        var accountId = reader.ReadRequiredString("account id");
        var rollingDays = (int)Math.Ceiling(options.TrainingScale.RollingWindow.TotalDays);
        var tiers = options.TrainingScale.EffectiveTiersFlop.Count;
        var state = new AccountState(accountId, rollingDays, tiers) { LastEventTicks = lastEvent };
        var flags = reader.ReadByte("flags");
        if (flags > (Allowlisted | RollingIncidentOpen | ResaleIncidentOpen | InSweepList))
        {
            throw reader.Corrupt("flags", $"unknown flags 0x{flags:x2}");
        }

        state.Allowlisted = (flags & Allowlisted) != 0;
        state.RollingIncidentOpen = (flags & RollingIncidentOpen) != 0;
        state.ResaleIncidentOpen = (flags & ResaleIncidentOpen) != 0;
        state.InSweepList = (flags & InSweepList) != 0;
        state.DeclaredCountry = reader.ReadString("declared country");
        state.KycStatus = reader.ReadString("KYC status");
        state.EntityType = reader.ReadString("entity type");
        var createdTicks = reader.ReadTicks("created at");
        if (createdTicks != long.MinValue)
        {
            reader.RequireMore("created-at offset");
            var minutes = reader.ReadVarInt64("created-at offset");
            if (minutes is < -MaxOffsetMinutes or > MaxOffsetMinutes || createdTicks < 0 || createdTicks > MaxTicks
                || createdTicks + (minutes * TimeSpan.TicksPerMinute) is < 0 or > MaxTicks)
            {
                throw reader.Corrupt("created at", "the time or offset is out of range");
            }

            state.CreatedAt = new DateTimeOffset(createdTicks + (minutes * TimeSpan.TicksPerMinute), TimeSpan.FromMinutes(minutes));
        }

        state.FirstSeenTicks = reader.ReadTicks("first seen");
        state.ActiveSinceTicks = reader.ReadTicks("active since");
        state.RollingCrossedMask = ReadMask(ref reader, "rolling crossed mask");
        state.RollingProjectedMask = ReadMask(ref reader, "rolling projected mask");
        state.RollingIncidentOpenedTicks = reader.ReadTicks("rolling incident opened", 0);
        var storedTiers = reader.ReadElementCount("tier count", 2);
        for (var tier = 0; tier < storedTiers; tier++)
        {
            reader.RequireMore("tier crossed time");
            var crossed = reader.ReadTicks("tier crossed time");
            reader.RequireMore("tier projected time");
            var projected = reader.ReadTicks("tier projected time");
            if (tier < tiers && (crossed != long.MinValue || projected != long.MinValue))
            {
                state.RunTierCrossedTicks[tier] = crossed;
                state.RunTierProjectedTicks[tier] = projected;
            }
        }

        state.ResaleIncidentNumber = reader.ReadVarInt32("resale incident number");
        state.ResaleSeverity = ReadSeverity(ref reader, "resale severity");
        state.ResaleEvidence = reader.ReadDouble("resale evidence");
        state.SweepOrder = reader.ReadVarInt64("sweep order");
        return state;
    }

    private static void WriteRuns(StateWriter writer, AccountState state, ModelTable models)
    {
        writer.WriteVarUInt64((ulong)state.RunCount);
        foreach (var run in state.RunsIfAny ?? [])
        {
            var start = writer.BeginSection();
            writer.WriteString(run.Key);
            writer.WriteString(run.Region);
            writer.WriteString(run.PlacementGroup);
            writer.WriteTicks(run.StartTicks);
            writer.WriteTicks(run.LastLaunchTicks);
            writer.WriteTicks(run.EndedTicks);
            writer.WriteVarInt64(run.OpenInstances);
            writer.WriteVarUInt64(unchecked((uint)run.CrossedMask));
            writer.WriteVarUInt64(unchecked((uint)run.ProjectedMask));
            writer.WriteBool(run.IncidentOpen);
            writer.WriteVarUInt64((ulong)run.Evidence.Length);
            foreach (var eventId in run.Evidence)
            {
                writer.WriteString(eventId);
            }

            var compute = writer.BeginSection();
            run.Compute.WriteState(writer, models);
            writer.EndSection(compute);
            writer.EndSection(start);
        }
    }

    private static void ReadRuns(ref StateReader reader, AccountState state, ModelTable models)
    {
        var count = reader.ReadElementCount("run count", 2);
        for (var i = 0; i < count; i++)
        {
            var outer = reader.EnterRequiredSection("run");
            var key = reader.ReadRequiredString("run key");
            var region = reader.ReadRequiredString("run region");
            var placementGroup = reader.ReadString("run placement group");
            reader.RequireMore("run start");
            var run = new ComputeRun(key, region, placementGroup, reader.ReadTicks("run start"))
            {
                LastLaunchTicks = reader.ReadTicks("run last launch"),
                EndedTicks = reader.ReadTicks("run end"),
                OpenInstances = reader.ReadVarInt32("run open instances"),
                CrossedMask = ReadMask(ref reader, "run crossed mask"),
                ProjectedMask = ReadMask(ref reader, "run projected mask"),
                IncidentOpen = reader.ReadBool("run incident open"),
            };
            if (run.OpenInstances < 0)
            {
                throw reader.Corrupt("run open instances", "the count is negative");
            }

            var evidence = reader.ReadVarCount("run evidence count", ComputeRun.MaxEvidence);
            for (var e = 0; e < evidence; e++)
            {
                reader.RequireMore("run evidence");
                run.AddEvidence(reader.ReadRequiredString("run evidence"));
            }

            if (reader.TryEnterSection("run compute", out var compute))
            {
                run.Compute.ReadState(ref reader, models);
                reader.ExitSection(compute);
            }

            state.Runs.Add(run);
            reader.ExitSection(outer);
        }
    }

    private static void WriteOpenInstances(StateWriter writer, AccountState state, ModelTable models)
    {
        writer.WriteVarUInt64((ulong)state.OpenInstances.Count);
        // Sorted: the set's order depends on its history of removals, and the encoding must not.
        foreach (var instance in state.OpenInstances.Items.ToArray().OrderBy(i => i.InstanceId, StringComparer.Ordinal))
        {
            var run = state.Runs.IndexOf(instance.Run);
            if (run < 0)
            {
                throw new InvalidOperationException($"Open instance {instance.InstanceId} belongs to no run of account {state.AccountId}.");
            }

            var start = writer.BeginSection();
            writer.WriteString(instance.InstanceId);
            writer.WriteString(models[instance.ModelIndex].Name);
            writer.WriteVarInt64(instance.Gpus);
            writer.WriteDouble(instance.PeakFlopsPerGpu);
            writer.WriteTicks(instance.LaunchedTicks);
            writer.WriteVarUInt64((ulong)run);
            writer.EndSection(start);
        }
    }

    private static void ReadOpenInstances(ref StateReader reader, AccountState state, ModelTable models)
    {
        var count = reader.ReadElementCount("open instance count", 2);
        for (var i = 0; i < count; i++)
        {
            var outer = reader.EnterRequiredSection("open instance");
            var instanceId = reader.ReadRequiredString("instance id");
            var model = reader.ReadRequiredString("instance model");
            reader.RequireMore("instance GPUs");
            var gpus = reader.ReadVarInt32("instance GPUs");
            reader.RequireMore("instance peak FLOP/s");
            var peak = reader.ReadDouble("instance peak FLOP/s");
            reader.RequireMore("instance launch time");
            var launched = reader.ReadTicks("instance launch time");
            reader.RequireMore("instance run");
            if (gpus < 0 || state.RunCount == 0)
            {
                throw reader.Corrupt("open instance", "negative GPUs or no run to belong to");
            }

            var run = reader.ReadVarCount("instance run", state.RunCount - 1);
            var added = state.OpenInstances.TryAdd(new OpenInstance
            {
                InstanceId = instanceId,
                ModelIndex = models.IndexOfName(model),
                Gpus = gpus,
                PeakFlopsPerGpu = peak,
                LaunchedTicks = launched,
                Run = state.Runs[run],
            });
            if (!added)
            {
                throw reader.Corrupt("instance id", $"instance '{instanceId}' appears twice");
            }

            reader.ExitSection(outer);
        }
    }

    private static void ReadOrphans(ref StateReader reader, AccountState state)
    {
        var count = reader.ReadElementCount("orphan count", 2);
        for (var i = 0; i < count; i++)
        {
            reader.RequireMore("orphan instance id");
            var instanceId = reader.ReadRequiredString("orphan instance id");
            reader.RequireMore("orphan termination time");
            if (!state.OrphanTerminations.TryAdd(instanceId, reader.ReadTicks("orphan termination time")))
            {
                throw reader.Corrupt("orphan instance id", $"instance '{instanceId}' appears twice");
            }
        }
    }

    private static void WriteUsage(StateWriter writer, UsageProfile usage)
    {
        var start = writer.BeginSection();
        usage.Gpu.WriteState(writer);
        writer.EndSection(start);
        start = writer.BeginSection();
        usage.Spend.WriteState(writer);
        writer.EndSection(start);
        writer.WriteOptionalInt64(usage.LastFedHour);
        writer.WriteDouble(usage.LastGpuSeconds);
        writer.WriteDouble(usage.PeakGpus);
        writer.WriteTicks(usage.PeakGpusTicks);
        writer.WriteOptionalInt64(usage.SpendDay);
        writer.WriteDouble(usage.SpendToday);
        writer.WriteOptionalInt64(usage.GpuDay);
        writer.WriteDouble(usage.GpuHoursToday);
        writer.WriteDouble(usage.GpuHoursLastDay);
        writer.WriteDouble(usage.PeakDailyGpuHours);
        writer.WriteOptionalInt64(usage.LastUsageJumpDay);
        writer.WriteTicks(usage.PeakDailyGpuHoursTicks);
        writer.WriteDouble(usage.PeakSpend);
        writer.WriteTicks(usage.PeakSpendTicks);
        writer.WriteByte((byte)((usage.UsageIncidentOpen ? UsageIncidentOpen : 0) | (usage.BillingIncidentOpen ? BillingIncidentOpen : 0)));
        writer.WriteVarInt64(usage.UsageIncidentNumber);
        writer.WriteVarInt64(usage.CalmHours);
        writer.WriteDouble(usage.UsagePeakBefore);
        writer.WriteVarInt64(usage.BillingIncidentNumber);
        writer.WriteVarInt64(usage.BillingIncidentDay);
    }

    private static UsageProfile ReadUsage(ref StateReader reader)
    {
        var usage = new UsageProfile(HourlyBaseline, DailyBaseline);
        if (reader.TryEnterSection("usage baseline", out var outer))
        {
            usage.Gpu.ReadState(ref reader);
            reader.ExitSection(outer);
        }

        if (reader.TryEnterSection("spend baseline", out outer))
        {
            usage.Spend.ReadState(ref reader);
            reader.ExitSection(outer);
        }

        usage.LastFedHour = reader.ReadOptionalInt64("last fed hour");
        usage.LastGpuSeconds = reader.ReadDouble("last GPU-seconds");
        usage.PeakGpus = reader.ReadDouble("peak GPUs");
        usage.PeakGpusTicks = reader.ReadTicks("peak GPUs time", 0);
        usage.SpendDay = reader.ReadOptionalInt64("spend day");
        usage.SpendToday = reader.ReadDouble("spend today");
        usage.GpuDay = reader.ReadOptionalInt64("GPU day");
        usage.GpuHoursToday = reader.ReadDouble("GPU-hours today");
        usage.GpuHoursLastDay = reader.ReadDouble("GPU-hours last day");
        usage.PeakDailyGpuHours = reader.ReadDouble("peak daily GPU-hours");
        usage.LastUsageJumpDay = reader.ReadOptionalInt64("last usage jump day");
        usage.PeakDailyGpuHoursTicks = reader.ReadTicks("peak daily GPU-hours time", 0);
        usage.PeakSpend = reader.ReadDouble("peak spend");
        usage.PeakSpendTicks = reader.ReadTicks("peak spend time", 0);
        var flags = reader.ReadByte("usage flags");
        if (flags > (UsageIncidentOpen | BillingIncidentOpen))
        {
            throw reader.Corrupt("usage flags", $"unknown flags 0x{flags:x2}");
        }

        usage.UsageIncidentOpen = (flags & UsageIncidentOpen) != 0;
        usage.BillingIncidentOpen = (flags & BillingIncidentOpen) != 0;
        usage.UsageIncidentNumber = reader.ReadVarInt32("usage incident number");
        usage.CalmHours = reader.ReadVarInt32("calm hours");
        usage.UsagePeakBefore = reader.ReadDouble("usage peak before");
        usage.BillingIncidentNumber = reader.ReadVarInt32("billing incident number");
        usage.BillingIncidentDay = reader.ReadVarInt64("billing incident day");
        return usage;
    }

    private static PopulationOutlierState ReadPopulation(ref StateReader reader) => new()
    {
        Flagged = reader.ReadVarInt32("population flagged"),
        Quiet = reader.ReadVarInt32("population quiet"),
        IncidentOpen = reader.ReadBool("population incident open"),
        IncidentNumber = reader.ReadVarInt32("population incident number"),
        Severity = ReadSeverity(ref reader, "population severity"),
    };

    private static int ReadMask(ref StateReader reader, string what)
    {
        var value = reader.ReadVarUInt64(what);
        return value <= uint.MaxValue ? unchecked((int)(uint)value) : throw reader.Corrupt(what, "the mask exceeds 32 bits");
    }

    private static Severity ReadSeverity(ref StateReader reader, string what)
    {
        var value = reader.ReadByte(what);
        return value <= (byte)Severity.Critical ? (Severity)value : throw reader.Corrupt(what, $"severity {value} is unknown");
    }
}

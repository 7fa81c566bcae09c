using UsageSentinel.Core.Sketches;
using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Behaviour;

/// <content>
/// Snapshot and restore for the account state codec. Layout: the five distinct counters (principals, SSH keys, ASNs,
/// countries, payment fingerprints), each a section; the nine decayed counters (access, restricted access, anonymizer
/// access, payments, risky, third-party and restricted payments, launches, payer-mismatch launches), each a byte
/// (0 = never added, end; 1 = follows) then its time (ticks) and value (double); declared reseller (bool); the four
/// first-seen sets (regions, GPU models, source countries, principals), each a section; the four novelty times
/// (ticks); the activity histogram and the duty cycle, each a section; the last and first duty hours (optional
/// varints). The window and half-life are configuration.
/// </content>
internal sealed partial class AccountBehaviour
{
    internal void WriteState(StateWriter writer)
    {
        WriteSection(writer, in _principals);
        WriteSection(writer, in _sshKeys);
        WriteSection(writer, in _asns);
        WriteSection(writer, in _countries);
        WriteSection(writer, in _paymentFingerprints);
        WriteCounter(writer, Access);
        WriteCounter(writer, RestrictedAccess);
        WriteCounter(writer, AnonymizerAccess);
        WriteCounter(writer, Payments);
        WriteCounter(writer, RiskyPayments);
        WriteCounter(writer, ThirdPartyPayments);
        WriteCounter(writer, RestrictedPayments);
        WriteCounter(writer, Launches);
        WriteCounter(writer, PayerMismatchLaunches);
        writer.WriteBool(DeclaredReseller);
        WriteSection(writer, in _regions);
        WriteSection(writer, in _gpuModels);
        WriteSection(writer, in _sourceCountries);
        WriteSection(writer, in _knownPrincipals);
        writer.WriteTicks(NewRegionTicks);
        writer.WriteTicks(NewGpuModelTicks);
        writer.WriteTicks(NewSourceCountryTicks);
        writer.WriteTicks(NewPrincipalTicks);
        var start = writer.BeginSection();
        _activity.WriteState(writer);
        writer.EndSection(start);
        start = writer.BeginSection();
        _duty.WriteState(writer);
        writer.EndSection(start);
        writer.WriteOptionalInt64(_dutyHour);
        writer.WriteOptionalInt64(_firstDutyHour);
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote into a behaviour that has seen nothing.</summary>
    internal void ReadState(ref StateReader reader)
    {
        ReadSection(ref reader, ref _principals, "principals");
        ReadSection(ref reader, ref _sshKeys, "ssh keys");
        ReadSection(ref reader, ref _asns, "asns");
        ReadSection(ref reader, ref _countries, "countries");
        ReadSection(ref reader, ref _paymentFingerprints, "payment fingerprints");
        Access = ReadCounter(ref reader, "access");
        RestrictedAccess = ReadCounter(ref reader, "restricted access");
        AnonymizerAccess = ReadCounter(ref reader, "anonymizer access");
        Payments = ReadCounter(ref reader, "payments");
        RiskyPayments = ReadCounter(ref reader, "risky payments");
        ThirdPartyPayments = ReadCounter(ref reader, "third-party payments");
        RestrictedPayments = ReadCounter(ref reader, "restricted payments");
        Launches = ReadCounter(ref reader, "launches");
        PayerMismatchLaunches = ReadCounter(ref reader, "payer-mismatch launches");
        DeclaredReseller = reader.ReadBool("declared reseller");
        ReadSection(ref reader, ref _regions, "regions");
        ReadSection(ref reader, ref _gpuModels, "gpu models");
        ReadSection(ref reader, ref _sourceCountries, "source countries");
        ReadSection(ref reader, ref _knownPrincipals, "known principals");
        NewRegionTicks = reader.ReadTicks("new region time");
        NewGpuModelTicks = reader.ReadTicks("new GPU model time");
        NewSourceCountryTicks = reader.ReadTicks("new source country time");
        NewPrincipalTicks = reader.ReadTicks("new principal time");
        if (reader.TryEnterSection("activity", out var outer))
        {
            _activity.ReadState(ref reader);
            reader.ExitSection(outer);
        }

        if (reader.TryEnterSection("duty cycle", out outer))
        {
            _duty.ReadState(ref reader);
            reader.ExitSection(outer);
        }

        _dutyHour = reader.ReadOptionalInt64("duty hour");
        _firstDutyHour = reader.ReadOptionalInt64("first duty hour");
        if ((_dutyHour == long.MinValue) != (_firstDutyHour == long.MinValue) || _firstDutyHour > _dutyHour)
        {
            throw reader.Corrupt("duty hours", "the first duty hour is after the last");
        }
    }

    private static void WriteSection(StateWriter writer, in SlidingDistinctCounter counter)
    {
        var start = writer.BeginSection();
        counter.WriteState(writer);
        writer.EndSection(start);
    }

    private static void WriteSection(StateWriter writer, in FirstSeenSet set)
    {
        var start = writer.BeginSection();
        set.WriteState(writer);
        writer.EndSection(start);
    }

    private static void ReadSection(ref StateReader reader, ref SlidingDistinctCounter counter, string name)
    {
        if (reader.TryEnterSection(name, out var outer))
        {
            counter.ReadState(ref reader);
            reader.ExitSection(outer);
        }
    }

    private static void ReadSection(ref StateReader reader, ref FirstSeenSet set, string name)
    {
        if (reader.TryEnterSection(name, out var outer))
        {
            set.ReadState(ref reader);
            reader.ExitSection(outer);
        }
    }

    private static void WriteCounter(StateWriter writer, DecayedCounter counter)
    {
        if (counter.StoredTicks == 0 && counter.StoredValue == 0)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        writer.WriteTicks(counter.StoredTicks);
        writer.WriteDouble(counter.StoredValue);
    }

    private static DecayedCounter ReadCounter(ref StateReader reader, string what)
    {
        var present = reader.ReadBool(what);
        if (!present)
        {
            return default;
        }

        reader.RequireMore(what);
        var ticks = reader.ReadTicks(what);
        reader.RequireMore(what);
        return DecayedCounter.Restore(reader.ReadDouble(what), ticks);
    }
}

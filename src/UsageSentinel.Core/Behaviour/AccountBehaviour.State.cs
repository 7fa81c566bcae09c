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
        WriteSection(writer, Principals);
        WriteSection(writer, _sshKeys ?? new SlidingDistinctCounter(_windowDays));
        WriteSection(writer, Asns);
        WriteSection(writer, Countries);
        WriteSection(writer, _paymentFingerprints ?? new SlidingDistinctCounter(_windowDays));
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
        WriteSection(writer, _regions ?? new FirstSeenSet());
        WriteSection(writer, _gpuModels ?? new FirstSeenSet());
        WriteSection(writer, SourceCountries);
        WriteSection(writer, KnownPrincipals);
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
        ReadSection(ref reader, Principals, "principals");
        _sshKeys = KeptIfUsed(ReadSection(ref reader, new SlidingDistinctCounter(_windowDays), "ssh keys"));
        ReadSection(ref reader, Asns, "asns");
        ReadSection(ref reader, Countries, "countries");
        _paymentFingerprints = KeptIfUsed(ReadSection(ref reader, new SlidingDistinctCounter(_windowDays), "payment fingerprints"));
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
        _regions = KeptIfUsed(ReadSection(ref reader, new FirstSeenSet(), "regions"));
        _gpuModels = KeptIfUsed(ReadSection(ref reader, new FirstSeenSet(), "gpu models"));
        ReadSection(ref reader, SourceCountries, "source countries");
        ReadSection(ref reader, KnownPrincipals, "known principals");
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

    private static void WriteSection(StateWriter writer, SlidingDistinctCounter counter)
    {
        var start = writer.BeginSection();
        counter.WriteState(writer);
        writer.EndSection(start);
    }

    private static void WriteSection(StateWriter writer, FirstSeenSet set)
    {
        var start = writer.BeginSection();
        set.WriteState(writer);
        writer.EndSection(start);
    }

    private static SlidingDistinctCounter ReadSection(ref StateReader reader, SlidingDistinctCounter counter, string name)
    {
        if (reader.TryEnterSection(name, out var outer))
        {
            counter.ReadState(ref reader);
            reader.ExitSection(outer);
        }

        return counter;
    }

    private static FirstSeenSet ReadSection(ref StateReader reader, FirstSeenSet set, string name)
    {
        if (reader.TryEnterSection(name, out var outer))
        {
            set.ReadState(ref reader);
            reader.ExitSection(outer);
        }

        return set;
    }

    /// <summary>Returns <paramref name="counter"/>, or null when it holds nothing: a lazily created counter is absent until used.</summary>
    private static SlidingDistinctCounter? KeptIfUsed(SlidingDistinctCounter counter) => counter.StorageBytes > 0 ? counter : null;

    /// <summary>Returns <paramref name="set"/>, or null when it holds nothing: a lazily created set is absent until used.</summary>
    private static FirstSeenSet? KeptIfUsed(FirstSeenSet set) => set.StorageBytes > 0 || set.Count > 0 ? set : null;

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

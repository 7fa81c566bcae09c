using UsageSentinel.Core.Linking;
using UsageSentinel.Worker.State;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>The records of the links and population topics round-trip and reject what they cannot read.</summary>
public sealed class RecordCodecTests
{
    public static TheoryData<LinkRecord> Records() =>
    [
        LinkRecord.Observed("acct-1", 3, LinkKind.PaymentFingerprint, 0xDEADBEEF01234567),
        LinkRecord.FiguresOf("acct-é", 0, 6.1e22, 2048, 1.5, 639_079_236_000_000_000),
        LinkRecord.IncidentOf("acct-a", "linked_accounts|acct-a", open: true, computeMask: 3, resaleRaised: true),
    ];

    [Theory]
    [MemberData(nameof(Records))]
    public void LinkRecord_EncodedAndDecoded_IsTheSame(LinkRecord record)
    {
        LinkRecordCodec.Decode(LinkRecordCodec.Encode(record)).ShouldBe(record);
    }

    [Fact]
    public void LinkRecord_KeysKeepWhatARestartNeeds()
    {
        LinkRecordCodec.KeyOf(LinkRecord.Observed("a", 0, LinkKind.SshKey, 1)).ShouldNotBe(LinkRecordCodec.KeyOf(LinkRecord.Observed("a", 0, LinkKind.SshKey, 2)));
        LinkRecordCodec.KeyOf(LinkRecord.FiguresOf("a", 0, 1, 1, 1, 1)).ShouldBe(LinkRecordCodec.KeyOf(LinkRecord.FiguresOf("a", 1, 2, 2, 2, 2)));
    }

    [Fact]
    public void LinkRecord_Truncated_Throws()
    {
        var bytes = LinkRecordCodec.Encode(LinkRecord.FiguresOf("acct-1", 0, 1e22, 8, 0.5, 1));
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            Should.Throw<InvalidDataException>(() => LinkRecordCodec.Decode(bytes.AsSpan(0, cut)));
        }
    }

    [Fact]
    public void PopulationSnapshot_LargerThanAChunk_SplitAndReassembledInOrder()
    {
        var rows = Enumerable.Range(0, PopulationSnapshotCodec.RowsPerChunk + 5).Select(i => Enumerable.Range(0, 16).Select(f => (float)(i * 100 + f)).ToArray()).ToList();

        var records = PopulationSnapshotCodec.Encode(4, 1234, rows);

        records.Count.ShouldBe(2);
        var chunks = records.Select(r => PopulationSnapshotCodec.Decode(r)).ToList();
        chunks.ShouldAllBe(c => c.Partition == 4 && c.EventTimeTicks == 1234 && c.Count == 2);
        chunks.SelectMany(c => c.Features).Select(r => r[0]).ShouldBe(rows.Select(r => r[0]));
        chunks.SelectMany(c => c.Features).Last().ShouldBe(rows[^1]);
        Should.Throw<InvalidDataException>(() => PopulationSnapshotCodec.Decode(records[1].AsSpan(0, records[1].Length - 1)));
    }
}

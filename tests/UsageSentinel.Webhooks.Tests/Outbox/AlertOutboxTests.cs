using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Delivery;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Tests.Outbox;

public sealed class AlertOutboxTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Some.Epoch);
    private readonly AlertingStats _stats = new();
    private readonly AlertingOptions _options;

    public AlertOutboxTests() => _options = new AlertingOptions { OutboxPath = _directory.Path };

    [Fact]
    public void Accept_ThenReopen_RecoversExactlyThePendingDeliveries()
    {
        var anomalies = new[] { AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open() };
        using (var outbox = CreateSut())
        {
            var entries = anomalies.Select(a => outbox.Accept(Content(a), ["pd", "slack"]).Accepted).ToArray();
            outbox.Complete(entries[1][0], DeliveryOutcome.Delivered);
            outbox.Complete(entries[2][1], DeliveryOutcome.Superseded);
        }

        using var reopened = CreateSut();
        var pd = Drain(reopened.QueueFor("pd"));
        var slack = Drain(reopened.QueueFor("slack"));

        pd.Select(e => e.Content.AnomalyId).ShouldBe([anomalies[0].AnomalyId, anomalies[2].AnomalyId]);
        slack.Select(e => e.Content.AnomalyId).ShouldBe([anomalies[0].AnomalyId, anomalies[1].AnomalyId]);
        pd[0].Content.Json.ToArray().ShouldBe(AnomalyJson.ToUtf8(anomalies[0]));
        pd[0].AcceptedAt.ShouldBe(Some.Epoch);
        reopened.PendingCount.ShouldBe(4);
        _stats.Pending.ShouldBe(4);
    }

    [Fact]
    public void Accept_BeforeReturning_IsOnDisk()
    {
        using var outbox = CreateSut();
        var anomaly = AnAnomaly.Open();

        outbox.Accept(Content(anomaly), ["pd"]);

        ReadJournal(outbox.JournalPath).ShouldContain(r => r.Contains(anomaly.AnomalyId, StringComparison.Ordinal));
    }

    [Fact]
    public void Reopen_TornLastRecord_KeepsTheCompleteOnes()
    {
        var anomaly = AnAnomaly.Open();
        string path;
        using (var outbox = CreateSut())
        {
            outbox.Accept(Content(anomaly), ["pd"]);
            path = outbox.JournalPath;
        }

        File.AppendAllText(path, """{"type":"accept","sequence":99,"receiver":"pd","accepted_at":1,"anomaly":{"anomaly_id":""");

        using var reopened = CreateSut();
        Drain(reopened.QueueFor("pd")).ShouldHaveSingleItem().Content.AnomalyId.ShouldBe(anomaly.AnomalyId);
        reopened.Accept(Content(AnAnomaly.Open()), ["pd"]).Accepted.ShouldHaveSingleItem().Sequence.ShouldBe(2);
    }

    [Fact]
    public void Reopen_UnreadableRecordInTheMiddle_SkipsOnlyIt()
    {
        var first = AnAnomaly.Open();
        var second = AnAnomaly.Open();
        string path;
        using (var outbox = CreateSut())
        {
            outbox.Accept(Content(first), ["pd"]);
            path = outbox.JournalPath;
        }

        File.AppendAllText(path, "{not json\n");
        using (var outbox = CreateSut())
        {
            outbox.Accept(Content(second), ["pd"]);
        }

        using var reopened = CreateSut();
        Drain(reopened.QueueFor("pd")).Select(e => e.Content.AnomalyId).ShouldBe([first.AnomalyId, second.AnomalyId]);
    }

    [Fact]
    public void Complete_EnoughDeliveries_CompactsTheJournal()
    {
        _options.OutboxCompactionThreshold = 10;
        using var outbox = CreateSut();
        var entries = Enumerable.Range(0, 40).SelectMany(_ => outbox.Accept(Content(AnAnomaly.Open()), ["pd"]).Accepted).ToArray();

        foreach (var entry in entries.Take(39))
        {
            outbox.Complete(entry, DeliveryOutcome.Delivered);
        }

        // Rewritten at the 30th acknowledgement with the 10 deliveries then pending; 9 acknowledgements since.
        var records = ReadJournal(outbox.JournalPath);
        var accepts = records.Where(r => r.StartsWith("{\"type\":\"accept\"", StringComparison.Ordinal)).ToArray();
        accepts.Length.ShouldBe(10);
        accepts.ShouldAllBe(r => entries.Skip(30).Any(e => r.Contains(e.Content.AnomalyId, StringComparison.Ordinal)));
        records.Count(r => r.StartsWith("{\"type\":\"ack\"", StringComparison.Ordinal)).ShouldBe(9);
        outbox.PendingCount.ShouldBe(1);
    }

    [Fact]
    public void Accept_OutboxFull_RejectsTheReceiversBeyondCapacity()
    {
        _options.OutboxCapacity = 3;
        using var outbox = CreateSut();
        outbox.Accept(Content(AnAnomaly.Open()), ["pd", "slack"]);

        var result = outbox.Accept(Content(AnAnomaly.Open()), ["pd", "slack"]);

        result.Accepted.ShouldHaveSingleItem().Receiver.ShouldBe("pd");
        result.Rejected.ShouldBe(["slack"]);
        outbox.PendingCount.ShouldBe(3);
    }

    [Fact]
    public void Accept_SameAnomalyTwice_SuppressesTheRedelivery()
    {
        using var outbox = CreateSut();
        var anomaly = AnAnomaly.Open();
        outbox.Accept(Content(anomaly), ["pd"]);

        var again = outbox.Accept(Content(anomaly), ["pd"]);

        again.Accepted.ShouldBeEmpty();
        again.Suppressed.ShouldBe(["pd"]);
    }

    [Fact]
    public void Accept_UpdateWithSameOrLowerSeverity_IsSuppressed()
    {
        using var outbox = CreateSut();
        var incident = AnAnomaly.Open(severity: Severity.High);
        outbox.Accept(Content(incident), ["pd"]);

        outbox.Accept(Content(AnAnomaly.Updated(incident, Severity.High)), ["pd"]).Suppressed.ShouldBe(["pd"]);
        outbox.Accept(Content(AnAnomaly.Updated(incident, Severity.Medium)), ["pd"]).Suppressed.ShouldBe(["pd"]);
    }

    [Fact]
    public void Accept_SeverityIncrease_IsAcceptedWithThePreviousSeverity()
    {
        using var outbox = CreateSut();
        var incident = AnAnomaly.Open(severity: Severity.Medium);
        outbox.Accept(Content(incident), ["pd"]);

        var update = outbox.Accept(Content(AnAnomaly.Updated(incident, Severity.Critical)), ["pd"]).Accepted.ShouldHaveSingleItem();

        update.PreviousSeverity.ShouldBe(Severity.Medium);
    }

    [Fact]
    public void Accept_ResolutionOfUnknownIncident_IsSuppressed()
    {
        using var outbox = CreateSut();

        outbox.Accept(Content(AnAnomaly.Resolved(AnAnomaly.Open())), ["pd"]).Suppressed.ShouldBe(["pd"]);
    }

    [Fact]
    public void Accept_ResolutionOfOpenIncident_IsAcceptedOnceAndAReopeningPagesAgain()
    {
        using var outbox = CreateSut();
        var incident = AnAnomaly.Open(severity: Severity.High);
        outbox.Accept(Content(incident), ["pd"]);

        var resolved = AnAnomaly.Resolved(incident);
        outbox.Accept(Content(resolved), ["pd"]).Accepted.ShouldHaveSingleItem().PreviousSeverity.ShouldBe(Severity.High);
        outbox.Accept(Content(resolved), ["pd"]).Suppressed.ShouldBe(["pd"]);
        outbox.Accept(Content(incident with { AnomalyId = "reopened" }), ["pd"]).Accepted.ShouldHaveSingleItem().PreviousSeverity.ShouldBeNull();
    }

    [Fact]
    public void Accept_AfterRestart_RemembersIncidents()
    {
        var incident = AnAnomaly.Open(severity: Severity.High);
        using (var outbox = CreateSut())
        {
            var entry = outbox.Accept(Content(incident), ["pd"]).Accepted.Single();
            outbox.Complete(entry, DeliveryOutcome.Delivered);
        }

        using var reopened = CreateSut();
        reopened.Accept(Content(incident), ["pd"]).Suppressed.ShouldBe(["pd"]);
        reopened.Accept(Content(AnAnomaly.Updated(incident, Severity.High)), ["pd"]).Suppressed.ShouldBe(["pd"]);
        reopened.Accept(Content(AnAnomaly.Updated(incident, Severity.Critical)), ["pd"]).Accepted.ShouldHaveSingleItem();
    }

    [Fact]
    public void Complete_DeadLettered_ForgetsTheIncidentSoTheNextUpdatePages()
    {
        using var outbox = CreateSut();
        var incident = AnAnomaly.Open(severity: Severity.High);
        var entry = outbox.Accept(Content(incident), ["pd"]).Accepted.Single();

        outbox.Complete(entry, DeliveryOutcome.DeadLettered);

        outbox.Accept(Content(AnAnomaly.Updated(incident, Severity.High)), ["pd"]).Accepted.ShouldHaveSingleItem();
    }

    [Fact]
    public void Accept_AfterIncidentRetention_PagesAgain()
    {
        _options.IncidentRetention = TimeSpan.FromDays(1);
        using var outbox = CreateSut();
        var incident = AnAnomaly.Open(severity: Severity.High);
        outbox.Accept(Content(incident), ["pd"]);

        _time.Advance(TimeSpan.FromDays(1));

        outbox.Accept(Content(AnAnomaly.Updated(incident, Severity.High)), ["pd"]).Accepted.ShouldHaveSingleItem();
    }

    [Fact]
    public void QueueFor_SecondOutboxOnTheSameFolder_Throws()
    {
        using var first = CreateSut();
        first.QueueFor("pd");
        using var second = CreateSut();

        Should.Throw<InvalidOperationException>(() => second.QueueFor("pd")).Message.ShouldContain("in use by another process");
    }

    private static AlertContent Content(AnomalyDetected anomaly) => AlertContent.From(anomaly);

    private static string[] ReadJournal(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static List<OutboxEntry> Drain(DeliveryQueue queue)
    {
        var entries = new List<OutboxEntry>();
        while (queue.TryTake(out var entry))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private AlertOutbox CreateSut() => new(Options.Create(_options), _time, _stats, NullLogger<AlertOutbox>.Instance);

    public void Dispose() => _directory.Dispose();
}

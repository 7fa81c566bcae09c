using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Linking;

namespace UsageSentinel.Core.Tests.Linking;

public class LinkGraphTests
{
    private readonly LinkingOptions _options = new();
    private readonly List<AnomalyDetected> _raised = [];

    private LinkGraph CreateSut() => new(_options, [1e23, 1e24], 0.35, 3.5);

    [Fact]
    public void Update_GroupOverTierWithEveryMemberUnder_RaisesLinkedAccounts()
    {
        var sut = CreateSut();
        sut.Observe("a", LinkKind.PaymentFingerprint, "card-1");
        sut.Observe("b", LinkKind.PaymentFingerprint, "card-1");
        sut.Observe("c", LinkKind.SshKey, "SHA256:k");
        sut.Observe("b", LinkKind.SshKey, "SHA256:k");

        sut.Update("a", 4e22, 64, 0, 0, _raised);
        sut.Update("b", 4e22, 64, 0, 0, _raised);
        _raised.ShouldBeEmpty();
        sut.Update("c", 3e22, 64, 0, 0, _raised);

        var anomaly = _raised.ShouldHaveSingleItem();
        anomaly.Detector.ShouldBe(DetectorNames.LinkedAccounts);
        anomaly.AccountId.ShouldBe("a");
        anomaly.LinkedAccountIds.ShouldBe(["b", "c"]);
        anomaly.Severity.ShouldBe(Severity.High);
        anomaly.RootCauses.ShouldContain(r => r.Feature == "group_estimated_training_flop" && r.Actual == 1.1e23 && r.TypicalOrThreshold == 1e23);
        anomaly.Summary.ShouldContain("payment fingerprint");
        anomaly.Summary.ShouldContain("SSH keys");
    }

    [Fact]
    public void Observe_IndexKeptByTheCaller_LinksAsByIdAndIsFoundOnce()
    {
        var sut = CreateSut();
        int a = -1, b = -1;
        sut.Observe(ref a, "a", 0, LinkKind.PaymentFingerprint, "card-1");
        sut.Observe(ref b, "b", 0, LinkKind.PaymentFingerprint, "card-1");
        a.ShouldBeGreaterThanOrEqualTo(0);
        b.ShouldNotBe(a);

        var kept = a;
        sut.Observe(ref a, "a", 0, LinkKind.SshKey, "SHA256:k");
        sut.Observe("c", LinkKind.SshKey, "SHA256:k");
        a.ShouldBe(kept);

        sut.GroupOf("c").ShouldBe(["a", "b", "c"], ignoreOrder: true);
        sut.UpdateFigures(ref a, "a", 0, 4e22, 64, 0, 0, _raised);
        sut.UpdateFigures(ref b, "b", 0, 4e22, 64, 0, 0, _raised);
        var c = -1;
        sut.UpdateFigures(ref c, "c", 0, 3e22, 64, 0, 0, _raised);
        c.ShouldBeGreaterThanOrEqualTo(0);
        _raised.ShouldHaveSingleItem().LinkedAccountIds.ShouldBe(["b", "c"]);
    }

    [Fact]
    public void Update_OneMemberAloneOverTier_DoesNotRaise()
    {
        var sut = CreateSut();
        sut.Observe("a", LinkKind.PaymentFingerprint, "card-1");
        sut.Observe("b", LinkKind.PaymentFingerprint, "card-1");
        sut.Update("a", 2e23, 64, 0, 0, _raised);
        sut.Update("b", 1e22, 64, 0, 0, _raised);

        _raised.ShouldBeEmpty(); // account a is judged on its own by training_scale
    }

    [Fact]
    public void Observe_CommonIdentifier_StopsLinking()
    {
        _options.MaxAccountsPerIdentifier = 3;
        var sut = CreateSut();
        foreach (var account in new[] { "a", "b", "c", "d", "e" })
        {
            sut.Observe(account, LinkKind.SshKey, "shared-by-many");
        }

        sut.GroupOf("e").ShouldBe(["e"]);
        sut.GroupOf("a").Count.ShouldBe(3); // linked before it turned out to be common
    }

    [Fact]
    public void Observe_TextAsSpan_LinksAsTheSameString()
    {
        var sut = new LinkGraph(new LinkingOptions { Kinds = [LinkKind.SourceNetwork] }, [1e23, 1e24], 0.35, 3.5);
        Span<char> network = stackalloc char[24];
        "203.0.113.0/24".CopyTo(network);

        sut.Observe("a", 0, LinkKind.SourceNetwork, "203.0.113.0/24");
        sut.Observe("b", 0, LinkKind.SourceNetwork, network[..14]);
        sut.Observe("c", 0, LinkKind.SourceNetwork, network[..13]);

        sut.GroupOf("a").ShouldBe(["a", "b"], ignoreOrder: true);
        sut.GroupOf("c").ShouldBe(["c"]);
    }

    [Fact]
    public void Observe_WeakKindNotConfigured_DoesNotLink()
    {
        var sut = CreateSut();
        sut.Observe("a", LinkKind.EmailDomain, "bigcorp.example");
        sut.Observe("b", LinkKind.EmailDomain, "bigcorp.example");

        sut.GroupOf("a").ShouldBe(["a"]);
    }

    [Fact]
    public void Update_GroupResaleEvidenceSplit_RaisesOncePerIncident()
    {
        var sut = CreateSut();
        sut.Observe("a", LinkKind.PayerAccount, "payer-9");
        sut.Observe("b", LinkKind.PayerAccount, "payer-9");
        sut.Update("a", 0, 8, 2.0, 0, _raised);
        sut.Update("b", 0, 8, 2.0, 0, _raised);
        sut.Update("b", 0, 8, 2.5, TimeSpan.TicksPerHour, _raised);

        var anomaly = _raised.ShouldHaveSingleItem();
        anomaly.Severity.ShouldBe(Severity.Medium);
        anomaly.RootCauses[0].Feature.ShouldBe("group_resale_evidence");
    }

    [Fact]
    public void Update_GroupCrossesNextTier_UpdatesTheSameIncident()
    {
        var sut = CreateSut();
        sut.Observe("a", LinkKind.PaymentFingerprint, "card-1");
        sut.Observe("b", LinkKind.PaymentFingerprint, "card-1");
        sut.Update("a", 6e22, 64, 0, 0, _raised);
        sut.Update("b", 6e22, 64, 0, 0, _raised);
        sut.Update("a", 9e22, 64, 0, 1, _raised);
        sut.Observe("c", LinkKind.PaymentFingerprint, "card-1");
        for (var i = 0; i < 12; i++)
        {
            sut.Observe($"x{i}", LinkKind.SshKey, $"k{i}");
        }

        sut.Update("c", 9e22, 64, 0, 2, _raised);
        _raised.Count.ShouldBe(1);
        sut.Update("a", 9.9e22, 64, 0, 3, _raised);
        sut.Update("b", 9.9e22, 64, 0, 3, _raised);
        sut.Update("c", 9.9e22, 64, 0, 3, _raised);
        sut.Update("a", 9.99e22, 64, 0, 3, _raised); // 2.97e23 < 1e24: still one

        _raised.Count.ShouldBe(1);
        _raised[0].Status.ShouldBe(AnomalyStatus.Open);
        _raised[0].DedupKey.ShouldBe("linked_accounts|a");
    }
}

using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Routing;

namespace UsageSentinel.Webhooks.Tests.Routing;

public sealed class AlertRouterTests
{
    private readonly AlertingOptions _options = new()
    {
        Receivers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["pager"] = new ReceiverOptions { Type = ReceiverType.PagerDuty, RoutingKey = "k" },
            ["slack"] = new ReceiverOptions { Type = ReceiverType.Slack, Url = "https://hooks.slack.com/x" },
            ["siem"] = new ReceiverOptions { Type = ReceiverType.Webhook, Url = "https://siem/x", HmacKey = "0123456789abcdef" },
        },
    };

    [Fact]
    public void Match_NoRoutes_MatchesNothing() => CreateSut().Match(AnAnomaly.Open()).ShouldBeEmpty();

    [Fact]
    public void Match_FirstMatchingRoute_WinsAndStops()
    {
        _options.Routes = [Route("pager", minSeverity: Severity.High), Route("slack")];

        CreateSut().Match(AnAnomaly.Open(severity: Severity.Critical)).ShouldBe(["pager"]);
        CreateSut().Match(AnAnomaly.Open(severity: Severity.Medium)).ShouldBe(["slack"]);
    }

    [Fact]
    public void Match_RouteWithContinue_FallsThroughWithoutRepeatingReceivers()
    {
        _options.Routes = [Route("siem,pager", @continue: true), Route("pager,slack")];

        CreateSut().Match(AnAnomaly.Open()).ShouldBe(["siem", "pager", "slack"]);
    }

    [Fact]
    public void Match_Detectors_MatchOnlyThoseDetectors()
    {
        _options.Routes = [Route("pager", detectors: [DetectorNames.TrainingScale, DetectorNames.LinkedAccounts])];

        CreateSut().Match(AnAnomaly.Open(detector: DetectorNames.LinkedAccounts)).ShouldBe(["pager"]);
        CreateSut().Match(AnAnomaly.Open(detector: DetectorNames.UsageDeviation)).ShouldBeEmpty();
    }

    [Fact]
    public void Match_MinScore_IsInclusive()
    {
        _options.Routes = [Route("pager", minScore: 80)];

        CreateSut().Match(AnAnomaly.Open(score: 80)).ShouldBe(["pager"]);
        CreateSut().Match(AnAnomaly.Open(score: 79.9)).ShouldBeEmpty();
    }

    [Fact]
    public void Match_Accounts_MatchListedAccountOrLinkedAccount()
    {
        _options.Routes = [Route("pager", accounts: ["acct-vip"])];

        CreateSut().Match(AnAnomaly.Open(account: "acct-vip")).ShouldBe(["pager"]);
        CreateSut().Match(AnAnomaly.Open(account: "acct-rep", linkedAccounts: ["acct-other", "acct-vip"])).ShouldBe(["pager"]);
        CreateSut().Match(AnAnomaly.Open(account: "acct-rep")).ShouldBeEmpty();
    }

    [Fact]
    public void Match_Tags_MatchAccountsTaggedInConfiguration()
    {
        _options.AccountTags["acct-42"] = ["Strategic", "eu"];
        _options.Routes = [Route("pager", tags: ["strategic"]), Route("slack")];

        CreateSut().Match(AnAnomaly.Open(account: "acct-42")).ShouldBe(["pager"]);
        CreateSut().Match(AnAnomaly.Open(account: "acct-43")).ShouldBe(["slack"]);
    }

    [Fact]
    public void Match_AccountsAndTags_MatchEither()
    {
        _options.AccountTags["acct-t"] = ["reseller"];
        _options.Routes = [Route("pager", accounts: ["acct-a"], tags: ["reseller"])];

        CreateSut().Match(AnAnomaly.Open(account: "acct-a")).ShouldBe(["pager"]);
        CreateSut().Match(AnAnomaly.Open(account: "acct-t")).ShouldBe(["pager"]);
        CreateSut().Match(AnAnomaly.Open(account: "acct-x")).ShouldBeEmpty();
    }

    [Fact]
    public void Match_AllConditions_MustHoldTogether()
    {
        _options.Routes = [Route("pager", detectors: [DetectorNames.ResaleProxy], minSeverity: Severity.High, minScore: 90, accounts: ["acct-1"])];
        var sut = CreateSut();

        sut.Match(AnAnomaly.Open(account: "acct-1", detector: DetectorNames.ResaleProxy, severity: Severity.High, score: 95)).ShouldBe(["pager"]);
        sut.Match(AnAnomaly.Open(account: "acct-1", detector: DetectorNames.ResaleProxy, severity: Severity.Medium, score: 95)).ShouldBeEmpty();
        sut.Match(AnAnomaly.Open(account: "acct-1", detector: DetectorNames.ResaleProxy, severity: Severity.High, score: 85)).ShouldBeEmpty();
        sut.Match(AnAnomaly.Open(account: "acct-2", detector: DetectorNames.ResaleProxy, severity: Severity.High, score: 95)).ShouldBeEmpty();
    }

    [Fact]
    public void Match_ReceiverNameInOtherCase_ReturnsTheConfiguredName()
    {
        _options.Routes = [Route("PAGER")];

        CreateSut().Match(AnAnomaly.Open()).ShouldBe(["pager"]);
    }

    private static RouteOptions Route(
        string receivers,
        string[]? detectors = null,
        Severity minSeverity = Severity.Low,
        double minScore = 0,
        string[]? accounts = null,
        string[]? tags = null,
        bool @continue = false) => new()
        {
            Receivers = receivers.Split(','),
            Detectors = detectors ?? [],
            MinSeverity = minSeverity,
            MinScore = minScore,
            Accounts = accounts ?? [],
            Tags = tags ?? [],
            Continue = @continue,
        };

    private AlertRouter CreateSut() => new(_options);
}

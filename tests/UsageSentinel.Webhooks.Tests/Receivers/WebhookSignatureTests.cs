using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using UsageSentinel.TestKit.Servers;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Tests.Receivers;

public sealed partial class WebhookSignatureTests
{
    private const string Key = "0123456789abcdef-key";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = """{"anomaly_id":"a1","status":"open"}"""u8.ToArray();
    private static readonly string Timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Sign_Body_IsLowercaseHexHmacSha256OfTimestampDotBody()
    {
        byte[] message = [.. Encoding.UTF8.GetBytes(Timestamp + "."), .. Body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), message);

        WebhookSignature.Sign(Key, Now.ToUnixTimeSeconds(), Body).ShouldBe("v1=" + Convert.ToHexStringLower(expected));
    }

    [Fact]
    public void Verify_SignedBody_Accepts()
    {
        var header = WebhookSignature.Sign(Key, Now.ToUnixTimeSeconds(), Body);

        WebhookSignature.Verify(Key, Timestamp, Body, header, Now.AddMinutes(4), TimeSpan.FromMinutes(5)).ShouldBeTrue();
    }

    [Fact]
    public void Verify_TamperedBody_Rejects()
    {
        var header = WebhookSignature.Sign(Key, Now.ToUnixTimeSeconds(), Body);
        var tampered = Body.ToArray();
        tampered[^3] ^= 0x01;

        WebhookSignature.Verify(Key, Timestamp, tampered, header, Now, TimeSpan.FromMinutes(5)).ShouldBeFalse();
    }

    [Fact]
    public void Verify_TamperedTimestamp_Rejects()
    {
        var header = WebhookSignature.Sign(Key, Now.ToUnixTimeSeconds(), Body);
        var other = (Now.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        WebhookSignature.Verify(Key, other, Body, header, Now, TimeSpan.FromMinutes(5)).ShouldBeFalse();
    }

    [Fact]
    public void Verify_OtherKey_Rejects()
    {
        var header = WebhookSignature.Sign("another-key-0123456789", Now.ToUnixTimeSeconds(), Body);

        WebhookSignature.Verify(Key, Timestamp, Body, header, Now, TimeSpan.FromMinutes(5)).ShouldBeFalse();
    }

    [Fact]
    public void Verify_TimestampOutsideTolerance_RejectsAsReplay()
    {
        var header = WebhookSignature.Sign(Key, Now.ToUnixTimeSeconds(), Body);

        WebhookSignature.Verify(Key, Timestamp, Body, header, Now.AddMinutes(6), TimeSpan.FromMinutes(5)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=zz")]
    [InlineData("v0=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    public void Verify_MalformedSignature_Rejects(string? header) =>
        WebhookSignature.Verify(Key, Timestamp, Body, header, Now, TimeSpan.FromMinutes(5)).ShouldBeFalse();

    [Fact]
    public void Verify_SeveralSignaturesDuringKeyRotation_AcceptsWhenOneMatches()
    {
        var header = WebhookSignature.Sign("old-key-0123456789abc", Now.ToUnixTimeSeconds(), Body) + ", " + WebhookSignature.Sign(Key, Now.ToUnixTimeSeconds(), Body);

        WebhookSignature.Verify(Key, Timestamp, Body, header, Now, TimeSpan.FromMinutes(5)).ShouldBeTrue();
    }

    [Fact]
    public async Task Verify_ReadmeSnippetOnARealDelivery_Accepts()
    {
        using var directory = new TempDirectory();
        await using var receiver = RecordingHttpReceiver.Start();
        var config = new AlertingConfig(directory.Path).Receiver("hook", "webhook", receiver.BaseUrl).Route("hook");
        await using (var harness = await AlertingHarness.StartAsync(config))
        {
            await harness.Notifier.NotifyAsync(AnAnomaly.Open(), CancellationToken.None);
            await receiver.WaitForRequestsAsync(1);
        }

        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/hooks/anomaly");
        VerifyAsTheReadmeShows(AlertingConfig.HmacKey, request.Headers, request.Body).ShouldBeTrue();
        var tampered = request.Body.ToArray();
        tampered[10] ^= 0x20;
        VerifyAsTheReadmeShows(AlertingConfig.HmacKey, request.Headers, tampered).ShouldBeFalse();
    }

    [Fact]
    public void Readme_VerificationSnippet_IsTheTestedCode()
    {
        var root = UsageSentinel.TestKit.RepositoryRoot.Path;
        var readme = File.ReadAllText(Path.Combine(root, "src", "UsageSentinel.Webhooks", "README.md"));
        var tests = File.ReadAllText(Path.Combine(root, "tests", "UsageSentinel.Webhooks.Tests", "Receivers", "WebhookSignatureTests.cs"));

        var documented = Normalize(SnippetInReadme().Match(readme).Groups["code"].Value);
        var tested = Normalize(SnippetInTests().Match(tests).Groups["code"].Value);

        tested.ShouldNotBeEmpty();
        documented.ShouldBe(tested);
    }

    private static bool VerifyAsTheReadmeShows(string secret, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        // begin-snippet: verify-webhook
        var authentic = WebhookSignature.Verify(
            key: secret,
            timestamp: headers["X-UsageSentinel-Timestamp"],
            body: body,
            signatureHeader: headers["X-UsageSentinel-Signature"],
            now: TimeProvider.System.GetUtcNow(),
            tolerance: TimeSpan.FromMinutes(5));
        // end-snippet
        return authentic;
    }

    private static string Normalize(string code) =>
        string.Join('\n', code.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));

    [GeneratedRegex(@"<!-- snippet: verify-webhook -->\s*```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex SnippetInReadme();

    [GeneratedRegex(@"// begin-snippet: verify-webhook\n(?<code>.*?)// end-snippet", RegexOptions.Singleline)]
    private static partial Regex SnippetInTests();
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>
/// Signs and verifies generic webhook bodies. The signature is <c>v1=</c> followed by the lowercase hex
/// HMAC-SHA256, keyed with the UTF-8 bytes of the key, of <c>&lt;timestamp&gt;.&lt;body&gt;</c>, where the timestamp is the
/// value of the <c>X-UsageSentinel-Timestamp</c> header (Unix seconds) and the body is the raw request bytes.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The scheme prefix of the signature header.</summary>
    public const string Scheme = "v1=";

    private const int HashBytes = 32;

    /// <summary>Computes the signature header value.</summary>
    /// <param name="key">The shared key.</param>
    /// <param name="timestamp">Unix seconds, as sent in the timestamp header.</param>
    /// <param name="body">The request body.</param>
    /// <returns>For example <c>v1=5d41…</c>.</returns>
    public static string Sign(string key, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Span<byte> hash = stackalloc byte[HashBytes];
        Compute(key, timestamp.ToString(CultureInfo.InvariantCulture), body, hash);
        return Scheme + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Checks a received webhook: the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/> (against
    /// replays) and one of the comma-separated <c>v1=</c> signatures in the header matches the body, compared in
    /// constant time.
    /// </summary>
    /// <param name="key">The shared key.</param>
    /// <param name="timestamp">The <c>X-UsageSentinel-Timestamp</c> header.</param>
    /// <param name="body">The raw request body, unparsed.</param>
    /// <param name="signatureHeader">The <c>X-UsageSentinel-Signature</c> header.</param>
    /// <param name="now">The current time.</param>
    /// <param name="tolerance">How far the timestamp may be from <paramref name="now"/>, e.g. 5 minutes.</param>
    /// <returns>Whether the request is authentic and fresh.</returns>
    public static bool Verify(string key, string? timestamp, ReadOnlySpan<byte> body, string? signatureHeader, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (timestamp is null || signatureHeader is null
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        Compute(key, timestamp, body, expected);
        Span<byte> received = stackalloc byte[HashBytes];
        foreach (var part in signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith(Scheme, StringComparison.Ordinal)
                && part.Length == Scheme.Length + (HashBytes * 2)
                && Convert.FromHexString(part.AsSpan(Scheme.Length), received, out _, out var written) == System.Buffers.OperationStatus.Done
                && written == HashBytes
                && CryptographicOperations.FixedTimeEquals(expected, received))
            {
                return true;
            }
        }

        return false;
    }

    private static void Compute(string key, string timestamp, ReadOnlySpan<byte> body, Span<byte> hash)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(key));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp));
        hmac.AppendData("."u8);
        hmac.AppendData(body);
        hmac.GetHashAndReset(hash);
    }
}

using UsageSentinel.Webhooks.Configuration;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>
/// Masks the secrets of all receivers (keys, URLs and URL paths) in text bound for logs or dead letters: a response
/// body may echo any of them, not only the secrets of the receiver that answered.
/// </summary>
internal sealed class SecretMask
{
    public const string Masked = "***";

    private const int MinSecretLength = 4;

    private readonly string[] _secrets;

    public SecretMask(IEnumerable<ReceiverOptions> receivers)
    {
        ArgumentNullException.ThrowIfNull(receivers);
        var secrets = new List<string?>();
        foreach (var options in receivers)
        {
            secrets.AddRange([options.RoutingKey, options.ApiKey, options.HmacKey, options.Url]);
            if (Uri.TryCreate(options.Url, UriKind.Absolute, out var url))
            {
                secrets.Add(url.PathAndQuery);
                secrets.Add(url.UserInfo);
            }
        }

        _secrets = secrets
            .Where(s => s is { Length: >= MinSecretLength })
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Masked, StringComparison.Ordinal);
        }

        return text;
    }
}

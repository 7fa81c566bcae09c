using UsageSentinel.Webhooks.Configuration;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>Masks a receiver's secrets (keys, its URL and the URL's path) in text bound for logs or dead letters.</summary>
internal sealed class SecretMask
{
    public const string Masked = "***";

    private const int MinSecretLength = 4;

    private readonly string[] _secrets;

    public SecretMask(ReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var secrets = new List<string?> { options.RoutingKey, options.ApiKey, options.HmacKey, options.Url };
        if (Uri.TryCreate(options.Url, UriKind.Absolute, out var url))
        {
            secrets.Add(url.PathAndQuery);
            secrets.Add(url.UserInfo);
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

using System.Globalization;

namespace UsageSentinel.Webhooks.Tests.TestSupport;

/// <summary>Builds <c>Alerting</c> configuration the way appsettings and environment variables would supply it.</summary>
public sealed class AlertingConfig
{
    public const string RoutingKey = "pd-routing-key-SECRET-0123456789abcdef";
    public const string ApiKey = "og-api-key-SECRET-0123456789abcdef";
    public const string HmacKey = "hmac-key-SECRET-0123456789abcdef";
    public const string SlackPath = "/services/T0SECRETT/B0SECRETB/xoxSECRETtoken0123";

    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private int _routes;

    public AlertingConfig(string outboxPath) => _settings["Alerting:OutboxPath"] = outboxPath;

    public static IEnumerable<string> Secrets => [RoutingKey, ApiKey, HmacKey, SlackPath, "SECRET"];

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>Adds a receiver with fast retries for tests (the defaults are seconds to minutes).</summary>
    public AlertingConfig Receiver(string name, string type, Uri baseUrl, params (string Key, string Value)[] settings)
    {
        var prefix = $"Alerting:Receivers:{name}";
        _settings[$"{prefix}:Type"] = type;
        _settings[$"{prefix}:Url"] = type switch
        {
            "pagerduty" => new Uri(baseUrl, "/v2/enqueue").ToString(),
            "slack" => new Uri(baseUrl, SlackPath).ToString(),
            "webhook" => new Uri(baseUrl, "/hooks/anomaly").ToString(),
            _ => baseUrl.ToString(),
        };
        switch (type)
        {
            case "pagerduty":
                _settings[$"{prefix}:RoutingKey"] = RoutingKey;
                break;
            case "opsgenie":
                _settings[$"{prefix}:ApiKey"] = ApiKey;
                break;
            case "webhook":
                _settings[$"{prefix}:HmacKey"] = HmacKey;
                break;
        }

        _settings[$"{prefix}:RetryDelay"] = "00:00:00.010";
        _settings[$"{prefix}:MaxRetryDelay"] = "00:00:00.100";
        _settings[$"{prefix}:Cooldown"] = "00:00:00";
        foreach (var (key, value) in settings)
        {
            _settings[$"{prefix}:{key}"] = value;
        }

        return this;
    }

    /// <summary>Adds a route to <paramref name="receivers"/> (comma-separated) with conditions such as <c>("MinSeverity", "high")</c>.</summary>
    public AlertingConfig Route(string receivers, params (string Key, string Value)[] settings)
    {
        var prefix = $"Alerting:Routes:{_routes++.ToString(CultureInfo.InvariantCulture)}";
        var names = receivers.Split(',');
        for (var i = 0; i < names.Length; i++)
        {
            _settings[$"{prefix}:Receivers:{i.ToString(CultureInfo.InvariantCulture)}"] = names[i];
        }

        foreach (var (key, value) in settings)
        {
            _settings[$"{prefix}:{key}"] = value;
        }

        return this;
    }

    public AlertingConfig Set(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }
}

using Microsoft.Extensions.Options;

namespace UsageSentinel.Influx.Configuration;

/// <summary>Checks what depends on <see cref="InfluxOptions.Mode"/>. Messages name the setting, never a secret's value.</summary>
internal sealed class InfluxOptionsValidator : IValidateOptions<InfluxOptions>
{
    private const string Prefix = InfluxOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == MetricsMode.Disabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (!Enum.IsDefined(options.Mode))
        {
            return ValidateOptionsResult.Fail($"{Prefix}Mode must be Disabled, V2 or V1.");
        }

        var failures = new List<string>();
        CheckUrl(options.Url, failures);
        if (options.Mode == MetricsMode.V2)
        {
            Require(options.Org, "Org", "V2", failures);
            Require(options.Bucket, "Bucket", "V2", failures);
            Require(options.Token, "Token", "V2", failures);
        }
        else
        {
            Require(options.Database, "Database", "V1", failures);
            if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
            {
                failures.Add($"{Prefix}Username and {Prefix}Password must be set together (V1 authentication).");
            }
        }

        if (options.RetryMaxDelay < options.RetryInitialDelay)
        {
            failures.Add($"{Prefix}RetryMaxDelay must not be shorter than {Prefix}RetryInitialDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(string value, string key, string mode, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Prefix}{key} is required when {Prefix}Mode is {mode}.");
        }
    }

    private static void CheckUrl(string url, List<string> failures)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Prefix}Url must be an absolute http or https URL, e.g. http://influxdb:8086.");
            return;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // The URL is logged; credentials belong in Token or Username/Password.
            failures.Add($"{Prefix}Url must not contain credentials; use {Prefix}Token (V2) or {Prefix}Username and {Prefix}Password (V1).");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            failures.Add($"{Prefix}Url must not have a query or fragment.");
        }
    }
}

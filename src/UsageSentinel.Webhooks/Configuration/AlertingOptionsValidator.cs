using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Webhooks.Configuration;

/// <summary>
/// Validates <see cref="AlertingOptions"/> with its receivers and routes. Each message names the setting, e.g.
/// <c>Alerting:Receivers:oncall:RoutingKey is required for type pagerduty</c>, and never contains a configured value.
/// </summary>
public sealed class AlertingOptionsValidator : IValidateOptions<AlertingOptions>
{
    private const string Section = AlertingOptions.SectionName;
    private const int MinHmacKeyLength = 16;

    private static readonly HashSet<string> KnownDetectors = typeof(DetectorNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(options, Section, failures);
        if (string.IsNullOrWhiteSpace(options.OutboxPath))
        {
            failures.Add($"{Section}:OutboxPath is required.");
        }

        foreach (var (receiverName, receiver) in options.Receivers)
        {
            CheckReceiver(receiverName, receiver, failures);
        }

        for (var i = 0; i < options.Routes.Length; i++)
        {
            CheckRoute(options, i, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckReceiver(string name, ReceiverOptions? receiver, List<string> failures)
    {
        var prefix = $"{Section}:Receivers:{name}";
        if (receiver is null)
        {
            failures.Add($"{prefix} is empty.");
            return;
        }

        Check(receiver, prefix, failures);
        if (receiver.Type is not { } type)
        {
            failures.Add($"{prefix}:Type is required (pagerduty, slack, opsgenie, alertmanager or webhook).");
            return;
        }

        var typeName = type.ToWireName();
        switch (type)
        {
            case ReceiverType.PagerDuty:
                Require(receiver.RoutingKey, $"{prefix}:RoutingKey", typeName, failures);
                break;
            case ReceiverType.Opsgenie:
                Require(receiver.ApiKey, $"{prefix}:ApiKey", typeName, failures);
                break;
            case ReceiverType.Slack:
            case ReceiverType.Alertmanager:
                Require(receiver.Url, $"{prefix}:Url", typeName, failures);
                break;
            case ReceiverType.Webhook:
                Require(receiver.Url, $"{prefix}:Url", typeName, failures);
                if (Require(receiver.HmacKey, $"{prefix}:HmacKey", typeName, failures) && receiver.HmacKey!.Length < MinHmacKeyLength)
                {
                    failures.Add($"{prefix}:HmacKey must be at least {MinHmacKeyLength} characters.");
                }

                break;
        }

        if (receiver.MaxDeliveryAge <= receiver.Cooldown)
        {
            failures.Add($"{prefix}:MaxDeliveryAge must be longer than {prefix}:Cooldown.");
        }

        var url = receiver.EffectiveUrl;
        if (!string.IsNullOrWhiteSpace(url) && !IsHttpUrl(url))
        {
            failures.Add($"{prefix}:Url must be an absolute http or https URL.");
        }
    }

    private static void CheckRoute(AlertingOptions options, int index, List<string> failures)
    {
        var prefix = $"{Section}:Routes:{index}";
        var route = options.Routes[index];
        if (route is null)
        {
            failures.Add($"{prefix} is empty.");
            return;
        }

        Check(route, prefix, failures);
        if (route.Receivers.Length == 0)
        {
            failures.Add($"{prefix}:Receivers needs at least one receiver.");
        }

        foreach (var receiver in route.Receivers)
        {
            if (!options.Receivers.ContainsKey(receiver ?? string.Empty))
            {
                failures.Add($"{prefix}:Receivers names '{receiver}', which is not in {Section}:Receivers.");
            }
        }

        foreach (var detector in route.Detectors)
        {
            if (!KnownDetectors.Contains(detector ?? string.Empty))
            {
                failures.Add($"{prefix}:Detectors names '{detector}', which is not a detector ({string.Join(", ", KnownDetectors.Order(StringComparer.Ordinal))}).");
            }
        }
    }

    private static bool Require(string? value, string setting, string typeName, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        failures.Add($"{setting} is required for type {typeName}.");
        return false;
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void Check(object instance, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            return;
        }

        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(string.Empty))
            {
                failures.Add($"{prefix}:{member}: {result.ErrorMessage}");
            }
        }
    }
}

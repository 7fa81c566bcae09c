using Microsoft.Extensions.Options;

namespace UsageSentinel.Worker.Health;

/// <summary>Fails the start when <c>Health:Address</c> cannot be listened on, naming the setting.</summary>
internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return HealthEndpoint.TryGetListenHost(options.Address, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Health:Address '{options.Address}' is not an IP address, localhost or 0.0.0.0.");
    }
}

using Microsoft.Extensions.Options;

namespace UsageSentinel.Cli.Hosting;

/// <summary>Turns option validation failures into one message per failing setting.</summary>
internal static class ConfigurationErrors
{
    public static int Report(OptionsValidationException ex, TextWriter error)
    {
        var section = ex.OptionsType.Name.EndsWith("Options", StringComparison.Ordinal) ? ex.OptionsType.Name[..^"Options".Length] : ex.OptionsType.Name;
        error.WriteLine("usage-sentinel: invalid configuration, nothing was started:");
        foreach (var failure in ex.Failures)
        {
            error.WriteLine(failure.Contains(':', StringComparison.Ordinal) && failure.StartsWith(section, StringComparison.Ordinal)
                ? $"  {failure}"
                : $"  {section}: {failure}");
        }

        return ExitCodes.Configuration;
    }
}

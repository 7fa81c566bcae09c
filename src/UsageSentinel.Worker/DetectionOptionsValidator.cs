using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Worker;

/// <summary>Validates <see cref="DetectionOptions"/> including nested sections, naming each setting.</summary>
public sealed class DetectionOptionsValidator : IValidateOptions<DetectionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DetectionOptions options)
    {
        var failures = new List<string>();
        Check(options, DetectionOptions.SectionName, failures);
        Check(options.Linking, $"{DetectionOptions.SectionName}:Linking", failures);
        Check(options.ResaleProxy, $"{DetectionOptions.SectionName}:ResaleProxy", failures);
        Check(options.Deviation, $"{DetectionOptions.SectionName}:Deviation", failures);
        for (var i = 0; i < options.Suppression.PlannedActivity.Length; i++)
        {
            var window = options.Suppression.PlannedActivity[i];
            if (string.IsNullOrWhiteSpace(window.AccountId) || window.End <= window.Start)
            {
                failures.Add($"{DetectionOptions.SectionName}:Suppression:PlannedActivity:{i}: needs an AccountId and End after Start.");
            }
        }
        var training = options.TrainingScale;
        var prefix = $"{DetectionOptions.SectionName}:TrainingScale";
        Check(training, prefix, failures);
        if (!(training.UtilizationLow <= training.Utilization && training.Utilization <= training.UtilizationHigh))
        {
            failures.Add($"{prefix}:UtilizationLow <= {prefix}:Utilization <= {prefix}:UtilizationHigh must hold.");
        }

        if (training.EffectiveTiersFlop.Any(t => !(t > 0) || double.IsInfinity(t)))
        {
            failures.Add($"{prefix}:TiersFlop must be positive finite numbers of FLOP.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object instance, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            foreach (var result in results)
            {
                foreach (var member in result.MemberNames.DefaultIfEmpty(string.Empty))
                {
                    failures.Add($"{prefix}:{member}: {result.ErrorMessage}");
                }
            }
        }
    }
}

using Microsoft.Extensions.Options;

namespace UsageSentinel.Worker.Catalog;

/// <summary>Fails the start when the catalog configuration cannot be built, naming the setting.</summary>
internal sealed class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        try
        {
            _ = CatalogBuilder.Build(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Simulation.Tests;

public sealed class SimulationOptionsTests
{
    public static TheoryData<string, Action<SimulationOptions>> InvalidOptions => new()
    {
        { nameof(SimulationOptions.Accounts), o => o.Accounts = -1 },
        { nameof(SimulationOptions.Accounts), o => o.Accounts = SimulationOptions.MaxAccounts + 1 },
        { nameof(SimulationOptions.ResaleAccounts), o => o.ResaleAccounts = -1 },
        { nameof(SimulationOptions.RestrictedTrainingAccounts), o => o.RestrictedTrainingAccounts = 1_001 },
        { nameof(SimulationOptions.StructuringGroups), o => o.StructuringGroups = -2 },
        { nameof(SimulationOptions.CompromiseAccounts), o => o.CompromiseAccounts = -1 },
        { nameof(SimulationOptions.VerifiedLabs), o => o.VerifiedLabs = -1 },
        { nameof(SimulationOptions.Duration), o => o.Duration = TimeSpan.FromMinutes(59) },
        { nameof(SimulationOptions.Duration), o => o.Duration = TimeSpan.FromDays(367) },
        { nameof(SimulationOptions.Start), o => o.Start = new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero) },
    };

    [Fact]
    public void Validate_Defaults_Passes()
    {
        var options = new SimulationOptions();

        Should.NotThrow(options.Validate);
        options.Seed.ShouldBe(42);
        options.Accounts.ShouldBe(200);
        options.Start.ShouldBe(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        options.Duration.ShouldBe(TimeSpan.FromDays(30));
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_OutOfRange_ThrowsNamingTheProperty(string property, Action<SimulationOptions> change)
    {
        var options = new SimulationOptions();
        change(options);

        Should.Throw<ArgumentOutOfRangeException>(options.Validate).ParamName.ShouldBe(property);
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void DataAnnotations_OutOfRangeCounts_AgreeWithValidate(string property, Action<SimulationOptions> change)
    {
        var options = new SimulationOptions();
        change(options);
        var results = new List<ValidationResult>();

        bool valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        // Start has no attribute: its range depends on Duration.
        if (property != nameof(SimulationOptions.Start))
        {
            valid.ShouldBeFalse();
            results.ShouldContain(r => r.MemberNames.Contains(property));
        }
    }
}

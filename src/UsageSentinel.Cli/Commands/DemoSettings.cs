namespace UsageSentinel.Cli.Commands;

/// <summary>What the demo was asked to do.</summary>
internal sealed record DemoSettings(TimeSpan Duration, int Seed, int Accounts, int Days, bool Plain, IReadOnlyList<string> Overrides);

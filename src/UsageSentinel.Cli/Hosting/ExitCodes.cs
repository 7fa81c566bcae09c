namespace UsageSentinel.Cli.Hosting;

/// <summary>Exit codes of <c>usage-sentinel</c>.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Configuration = 2;
    public const int Input = 3;
}

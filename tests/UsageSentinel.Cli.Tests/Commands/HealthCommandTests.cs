using System.Globalization;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Cli.Tests.Commands;

public sealed class HealthCommandTests
{
    [Fact]
    public async Task Health_NothingListening_ExitsOneNamingTheUrl()
    {
        var port = LocalServer.FreePort().ToString(CultureInfo.InvariantCulture);

        var result = await CliProcess.RunAsync("health", $"--Health:Port={port}");

        result.ExitCode.ShouldBe(1, result.Stderr + result.Stdout);
        result.Stderr.ShouldContain($"http://127.0.0.1:{port}/health/live");
    }

    [Fact]
    public async Task Health_Ready_ProbesTheReadinessPath()
    {
        var port = LocalServer.FreePort().ToString(CultureInfo.InvariantCulture);

        var result = await CliProcess.RunAsync("health", "--ready", "--Health:Address=127.0.0.1", $"--Health:Port={port}");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain($"http://127.0.0.1:{port}/health/ready");
    }

    [Fact]
    public async Task Health_Disabled_ExitsOneSayingSo()
    {
        var result = await CliProcess.RunAsync("health", "--Health:Enabled=false");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("Health:Enabled is false");
    }
}

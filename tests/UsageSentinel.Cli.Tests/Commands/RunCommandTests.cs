using System.Globalization;
using System.Net;
using System.Net.Sockets;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Cli.Tests.Commands;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_MissingBootstrapServers_StopsNamingTheSetting()
    {
        var result = await CliProcess.RunAsync("run", "--Kafka:BootstrapServers=");

        result.ExitCode.ShouldBe(2, result.Stderr + result.Stdout);
        result.Stderr.ShouldContain("Kafka");
        result.Stderr.ShouldContain("BootstrapServers");
    }

    [Fact]
    public async Task Run_SecretSettings_NeverAppearInErrors()
    {
        var result = await CliProcess.RunAsync("run", "--Kafka:BootstrapServers=", "--Kafka:Settings:sasl.password=hunter2-secret");

        result.ExitCode.ShouldBe(2);
        (result.Stderr + result.Stdout).ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public async Task Run_UnknownCatalogModel_StopsNamingTheSetting()
    {
        var result = await CliProcess.RunAsync("run", "--Kafka:BootstrapServers=localhost:1", "--Catalog:InstanceTypes:x9.big:GpuModel=Nope", "--Catalog:InstanceTypes:x9.big:GpuCount=8");

        result.ExitCode.ShouldBe(2, result.Stderr + result.Stdout);
        result.Stderr.ShouldContain("Catalog:InstanceTypes:x9.big:GpuModel");
    }

    [Fact]
    public async Task Run_HealthPortTaken_ExitsOneNamingTheSetting()
    {
        var port = LocalServer.FreePort();
        using var taken = new TcpListener(IPAddress.Loopback, port);
        taken.Start();

        var result = await CliProcess.RunAsync("run", "--Kafka:BootstrapServers=127.0.0.1:1", "--Health:Address=127.0.0.1", $"--Health:Port={port.ToString(CultureInfo.InvariantCulture)}");

        result.ExitCode.ShouldBe(1, result.Stderr + result.Stdout);
        result.Stdout.ShouldContain("Health:Port");
    }

    [Fact]
    public async Task Run_InvalidHealthPort_StopsNamingTheSetting()
    {
        var result = await CliProcess.RunAsync("run", "--Kafka:BootstrapServers=127.0.0.1:1", "--Health:Port=0");

        result.ExitCode.ShouldBe(2, result.Stderr + result.Stdout);
        result.Stderr.ShouldContain("Health");
        result.Stderr.ShouldContain("Port");
    }
}

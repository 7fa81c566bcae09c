using System.Buffers;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.IntegrationTests.Health;

public sealed class HealthResponseWriterTests
{
    private static string Write(HealthReport report, long lag)
    {
        var buffer = new ArrayBufferWriter<byte>();
        HealthResponseWriter.Write(buffer, report, lag);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static HealthReportEntry Entry(HealthStatus status, string? description, Exception? exception = null) =>
        new(status, description, TimeSpan.FromMilliseconds(1), exception, null);

    [Fact]
    public void Write_HealthyReport_IsTheDocumentedShape()
    {
        var report = new HealthReport(new Dictionary<string, HealthReportEntry> { ["partitions"] = Entry(HealthStatus.Healthy, "Partitions assigned.") }, TimeSpan.Zero);

        Write(report, 42).ShouldBe("""{"status":"Healthy","checks":{"partitions":{"status":"Healthy","description":"Partitions assigned."}},"consumer_lag":42}""");
    }

    [Fact]
    public void Write_CheckThatThrew_HidesTheExceptionMessage()
    {
        var report = new HealthReport(
            new Dictionary<string, HealthReportEntry> { ["state"] = Entry(HealthStatus.Unhealthy, "sasl.password=hunter2", new InvalidOperationException("sasl.password=hunter2")) },
            TimeSpan.Zero);

        var json = Write(report, 0);

        json.ShouldNotContain("hunter2");
        json.ShouldContain("\"status\":\"Unhealthy\"");
    }

    [Theory]
    [InlineData(HealthStatus.Healthy, 200)]
    [InlineData(HealthStatus.Degraded, 200)]
    [InlineData(HealthStatus.Unhealthy, 503)]
    public void StatusCode_PerStatus_Is200Unless503ForUnhealthy(HealthStatus status, int expected) =>
        HealthResponseWriter.StatusCode(status).ShouldBe(expected);
}

using Microsoft.Extensions.Logging;
using UsageSentinel.Core.Ports;
using UsageSentinel.Webhooks.Delivery;

namespace UsageSentinel.Webhooks.Tests.Delivery;

public sealed class LoggingUndeliverableAlertSinkTests
{
    [Fact]
    public async Task PublishAsync_Alert_LogsAnErrorWithReceiverAndReason()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var sink = new LoggingUndeliverableAlertSink(factory.CreateLogger<LoggingUndeliverableAlertSink>());

        await sink.PublishAsync(new UndeliverableAlert("oncall", "pagerduty", "a-1", "k-1", UndeliverableAlert.ReasonRejected, "HTTP 400 (BadRequest)", 1, "{}"u8.ToArray()), CancellationToken.None);

        logs.Lines.ShouldHaveSingleItem().ShouldContain("Error 4019 Undeliverable alert: anomaly a-1 for receiver oncall (pagerduty): rejected, HTTP 400 (BadRequest), after 1 attempts");
    }
}

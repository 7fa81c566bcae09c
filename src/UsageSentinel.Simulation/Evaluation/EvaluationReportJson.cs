using System.Text.Json;

namespace UsageSentinel.Simulation.Evaluation;

/// <summary>Writes evaluation reports as JSON.</summary>
public static class EvaluationReportJson
{
    /// <summary>Writes the reports, one per run, and their aggregate.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="runs">The runs, named (e.g. by seed and size).</param>
    /// <param name="aggregate">The aggregate over the runs.</param>
    public static void Write(Stream stream, IReadOnlyList<(string Name, EvaluationReport Report)> runs, EvaluationReport aggregate)
    {
        ArgumentNullException.ThrowIfNull(runs);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WritePropertyName("aggregate");
        WriteReport(writer, aggregate);
        writer.WriteStartArray("runs");
        foreach (var (name, report) in runs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WritePropertyName("report");
            WriteReport(writer, report);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteReport(Utf8JsonWriter writer, EvaluationReport report)
    {
        writer.WriteStartObject();
        writer.WriteNumber("benign_accounts", report.BenignAccounts);
        writer.WriteNumber("days", report.Days);
        writer.WriteString("alert_severity", report.AlertSeverity);
        writer.WriteNumber("anomalies", report.Anomalies);
        writer.WriteNumber("false_alerts_per_1000_account_days", report.FalseAlertsPer1000AccountDays);
        writer.WriteStartArray("scenarios");
        foreach (var s in report.Scenarios)
        {
            writer.WriteStartObject();
            writer.WriteString("scenario", s.Scenario);
            writer.WriteBoolean("abusive", s.Abusive);
            writer.WriteNumber("accounts", s.Accounts);
            writer.WriteStartArray("expected_detectors");
            foreach (var d in s.ExpectedDetectors)
            {
                writer.WriteStringValue(d);
            }

            writer.WriteEndArray();
            writer.WriteNumber("detected", s.Detected);
            if (s.Recall is { } recall)
            {
                writer.WriteNumber("recall", recall);
            }

            if (s.MedianTimeToDetect is { } ttd)
            {
                writer.WriteNumber("median_time_to_detect_hours", ttd.TotalHours);
            }

            writer.WriteNumber("flagged_accounts", s.Flagged);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("detectors");
        foreach (var d in report.Detectors)
        {
            writer.WriteStartObject();
            writer.WriteString("detector", d.Detector);
            writer.WriteNumber("alerts", d.Alerts);
            writer.WriteNumber("true_alerts", d.TrueAlerts);
            if (d.Precision is { } precision)
            {
                writer.WriteNumber("precision", precision);
            }

            writer.WriteNumber("false_alerts", d.FalseAlerts);
            writer.WriteNumber("false_alerts_per_1000_account_days", d.FalseAlertsPer1000AccountDays);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

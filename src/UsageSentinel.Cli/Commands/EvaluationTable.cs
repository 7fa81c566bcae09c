using System.Globalization;
using Spectre.Console;
using UsageSentinel.Simulation.Evaluation;

namespace UsageSentinel.Cli.Commands;

/// <summary>Prints an evaluation report as tables (shared by <c>evaluate</c> and the demo summary).</summary>
internal static class EvaluationTable
{
    public static void Print(EvaluationReport report, string title)
    {
        var scenarios = new Table().Title($"{title}: per scenario (alert = incident at severity ≥ {report.AlertSeverity})")
            .AddColumns("scenario", "abusive", "accounts", "expected detector", "detected", "recall", "median time to detect", "accounts with alerts");
        foreach (var s in report.Scenarios)
        {
            scenarios.AddRow(
                s.Scenario,
                s.Abusive ? "yes" : "no",
                N(s.Accounts),
                s.ExpectedDetectors.Count == 0 ? "-" : string.Join(", ", s.ExpectedDetectors),
                s.Abusive ? N(s.Detected) : "-",
                s.Recall is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : "-",
                s.MedianTimeToDetect is { } t ? $"{t.TotalHours:F1} h" : "-",
                N(s.Flagged));
        }

        AnsiConsole.Write(scenarios);
        var detectors = new Table().Title($"{title}: per detector ({N(report.BenignAccounts)} benign accounts, {report.Days:F0} days)")
            .AddColumns("detector", "alerts", "on abusive accounts", "precision", "false alerts", "false alerts / 1,000 benign accounts / day");
        foreach (var d in report.Detectors)
        {
            detectors.AddRow(
                d.Detector,
                N(d.Alerts),
                N(d.TrueAlerts),
                d.Precision is { } p ? p.ToString("F2", CultureInfo.InvariantCulture) : "-",
                N(d.FalseAlerts),
                d.FalseAlertsPer1000AccountDays.ToString("F4", CultureInfo.InvariantCulture));
        }

        if (report.Detectors.Count == 0)
        {
            detectors.AddRow("(no alerts)", "0", "0", "-", "0", "0.0000");
        }

        AnsiConsole.Write(detectors);
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

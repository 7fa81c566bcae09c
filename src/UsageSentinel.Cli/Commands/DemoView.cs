using System.Collections.Concurrent;
using Spectre.Console;
using UsageSentinel.Kafka.Anomalies;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Simulation;
using UsageSentinel.Simulation.Evaluation;
using UsageSentinel.Worker.Pipeline;

namespace UsageSentinel.Cli.Commands;

/// <summary>The demo's terminal: a live table of anomalies as they are raised, then a summary.</summary>
internal sealed class DemoView(int totalEvents, DemoSettings settings, string bootstrap, DateTimeOffset start)
{
    private readonly DateTimeOffset _start = start;
    private const int Shown = 14;
    private readonly List<AnomalyRecord> _all = [];

    public async Task RunLiveAsync(ConcurrentQueue<AnomalyRecord> incoming, ProduceProgress progress, KafkaPipelineService pipeline, long deadline, CancellationToken cancellationToken)
    {
        await AnsiConsole.Live(Render(progress, pipeline)).AutoClear(false).StartAsync(async context =>
        {
            while (TimeProvider.System.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                while (incoming.TryDequeue(out var anomaly))
                {
                    _all.Add(anomaly);
                }

                context.UpdateTarget(Render(progress, pipeline));
                await Task.Delay(250, CancellationToken.None); // screen refresh rate
            }

            while (incoming.TryDequeue(out var anomaly))
            {
                _all.Add(anomaly);
            }

            context.UpdateTarget(Render(progress, pipeline));
        });
    }

    public async Task RunPlainAsync(ConcurrentQueue<AnomalyRecord> incoming, ProduceProgress progress, KafkaPipelineService pipeline, long deadline, CancellationToken cancellationToken)
    {
        Console.Out.WriteLine($"usage-sentinel demo: embedded Kafka at {bootstrap}; {totalEvents:N0} simulated events over {settings.Days} days of event time in {settings.Duration.TotalSeconds:N0} s");
        var nextStatus = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            while (incoming.TryDequeue(out var anomaly))
            {
                _all.Add(anomaly);
                Console.Out.WriteLine($"{anomaly.EventTime}  {anomaly.Severity,-8} {anomaly.Detector,-16} {anomaly.Score,5:F1}  {anomaly.AccountId}  {anomaly.Summary}");
            }

            if (TimeProvider.System.GetTimestamp() >= nextStatus)
            {
                Console.Out.WriteLine($"-- event time {progress.EventTime:yyyy-MM-dd HH:mm}Z, produced {progress.Produced:N0}/{totalEvents:N0}, consumed {pipeline.Counters.Consumed:N0}, dead-lettered {pipeline.Counters.DeadLettered:N0}, anomalies {pipeline.Counters.AnomaliesPublished:N0}");
                nextStatus = TimeProvider.System.GetTimestamp() + (5 * TimeProvider.System.TimestampFrequency);
            }

            await Task.Delay(200, CancellationToken.None); // output refresh rate
        }

        while (incoming.TryDequeue(out var anomaly))
        {
            _all.Add(anomaly);
        }
    }

    public void PrintSummary(IReadOnlyList<ScenarioLabel> labels, KafkaPipelineService pipeline, ProduceProgress progress, string logPath)
    {
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule("[bold]Summary[/]").LeftJustified());
        AnsiConsole.MarkupLine(
            $"Produced [bold]{progress.Produced:N0}[/] events up to event time [bold]{progress.EventTime:yyyy-MM-dd HH:mm}Z[/]; the worker consumed [bold]{pipeline.Counters.Consumed:N0}[/], processed [bold]{pipeline.Processed:N0}[/], dead-lettered [bold]{pipeline.Counters.DeadLettered:N0}[/], published [bold]{pipeline.Counters.AnomaliesPublished:N0}[/] anomalies.");

        var bySeverity = new Table().Title("Anomalies by detector and severity").AddColumns("detector", "kind", "low", "medium", "high", "critical", "total");
        foreach (var group in _all.GroupBy(a => (a.Detector, Kind: a.Kind ?? "-")).OrderBy(g => g.Key.Detector, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal))
        {
            bySeverity.AddRow(
                group.Key.Detector,
                group.Key.Kind,
                group.Count(a => a.Severity == "low").ToString(System.Globalization.CultureInfo.InvariantCulture),
                group.Count(a => a.Severity == "medium").ToString(System.Globalization.CultureInfo.InvariantCulture),
                group.Count(a => a.Severity == "high").ToString(System.Globalization.CultureInfo.InvariantCulture),
                group.Count(a => a.Severity == "critical").ToString(System.Globalization.CultureInfo.InvariantCulture),
                group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(bySeverity);

        var evaluated = _all.Select(a => new EvaluatedAnomaly(
            a.AccountId,
            a.LinkedAccountIds,
            a.Detector,
            DateTimeOffset.Parse(a.EventTime, System.Globalization.CultureInfo.InvariantCulture),
            Enum.GetValues<Severity>().First(s => s.ToWireName() == a.Severity),
            a.DedupKey,
            a.Status == "resolved"));
        var days = Math.Max(1, (progress.EventTime - _start).TotalDays);
        EvaluationTable.Print(DetectionEvaluator.Evaluate(labels, evaluated, days), "Demo");
        AnsiConsole.MarkupLine($"Worker log: [grey]{Markup.Escape(logPath)}[/]");
    }

    private Table Render(ProduceProgress progress, KafkaPipelineService pipeline)
    {
        var table = new Table().Expand().Border(TableBorder.Rounded)
            .Title($"[bold]UsageSentinel demo[/] — event time [yellow]{progress.EventTime:yyyy-MM-dd HH:mm}Z[/] — produced {progress.Produced:N0}/{totalEvents:N0} — consumed {pipeline.Counters.Consumed:N0} — dead-lettered {pipeline.Counters.DeadLettered:N0} — anomalies {_all.Count:N0}")
            .AddColumn("event time").AddColumn("severity").AddColumn("detector").AddColumn(new TableColumn("score").RightAligned()).AddColumn("account").AddColumn("summary");
        foreach (var anomaly in _all.TakeLast(Shown).OrderBy(a => a.EventTime, StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(anomaly.EventTime),
                $"[{Color(anomaly.Severity)}]{anomaly.Severity}[/]",
                Markup.Escape($"{anomaly.Detector} ({anomaly.Kind ?? anomaly.Status})"),
                anomaly.Score.ToString("F1", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(anomaly.AccountId),
                Markup.Escape(DemoCommand.Short(anomaly.Summary, 110)));
        }

        return table;
    }

    private static string Color(string severity) => severity switch
    {
        "critical" => "red bold",
        "high" => "red",
        "medium" => "yellow",
        _ => "grey",
    };
}

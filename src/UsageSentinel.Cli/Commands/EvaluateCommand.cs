using System.CommandLine;
using Spectre.Console;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Worker.Catalog;
using UsageSentinel.Worker.Replay;
using UsageSentinel.Simulation;
using UsageSentinel.Simulation.Evaluation;

namespace UsageSentinel.Cli.Commands;

/// <summary>
/// <c>usage-sentinel evaluate</c>: detection quality per scenario and detector against the simulator's labels,
/// either for given files or for simulated populations over several seeds.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var events = new Option<FileInfo?>("--events") { Description = "Events (NDJSON) to evaluate; with --labels." };
        var labels = new Option<FileInfo?>("--labels") { Description = "The simulator's labels (NDJSON) for --events." };
        var seeds = new Option<string>("--seeds") { Description = "Without --events: simulate these seeds, comma-separated.", DefaultValueFactory = _ => "1,2,3,4,5" };
        var accounts = new Option<int>("--accounts") { Description = "Without --events: accounts per seed (benign; scenarios come on top).", DefaultValueFactory = _ => 2_000 };
        var days = new Option<int>("--days") { Description = "Without --events: days of event time per seed.", DefaultValueFactory = _ => 30 };
        var report = new Option<FileInfo?>("--report") { Description = "Write the JSON report here." };
        var severity = new Option<string>("--alert-severity") { Description = "Lowest severity that counts as an alert: low, medium, high, critical.", DefaultValueFactory = _ => "medium" };
        var command = new Command("evaluate", "Recall, precision, false alerts per 1,000 benign accounts per day and median time to detect, per scenario and detector.")
        {
            events,
            labels,
            seeds,
            accounts,
            days,
            report,
            severity,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) =>
        {
            var configuration = SentinelConfiguration.Build(parse.UnmatchedTokens);
            if (!ReplayCommand.TryBindDetection(configuration, out var detection, out var catalogOptions, out var populationModel, Console.Error))
            {
                return Task.FromResult(ExitCodes.Configuration);
            }

            if (!TryParseSeverity(parse.GetValue(severity)!, out var alertSeverity))
            {
                Console.Error.WriteLine("usage-sentinel evaluate: --alert-severity must be low, medium, high or critical.");
                return Task.FromResult(ExitCodes.Input);
            }

            BatchCollections.Enter();
            var runner = new ReplayRunner(detection, CatalogBuilder.Build(catalogOptions), populationModel: populationModel);
            var runs = new List<(string Name, EvaluationReport Report)>();
            if (parse.GetValue(events) is { } eventFile)
            {
                if (parse.GetValue(labels) is not { } labelFile || !eventFile.Exists || !labelFile.Exists)
                {
                    Console.Error.WriteLine("usage-sentinel evaluate: --events needs --labels, and both files must exist.");
                    return Task.FromResult(ExitCodes.Input);
                }

                using var labelStream = labelFile.OpenRead();
                var labelList = LabelWriter.Read(labelStream);
                var lines = File.ReadLines(eventFile.FullName).Where(l => !string.IsNullOrWhiteSpace(l)).Select(System.Text.Encoding.UTF8.GetBytes).ToList();
                var detected = runner.Detect(lines);
                runs.Add((eventFile.Name, DetectionEvaluator.Evaluate(labelList, detected.Anomalies.Select(EvaluatedAnomaly.From), Math.Max(1, detected.Span.TotalDays), alertSeverity)));
            }
            else
            {
                foreach (var seed in parse.GetValue(seeds)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var options = new SimulationOptions
                    {
                        Seed = int.Parse(seed, System.Globalization.CultureInfo.InvariantCulture),
                        Accounts = parse.GetValue(accounts),
                        Duration = TimeSpan.FromDays(parse.GetValue(days)),
                    };
                    var simulator = new PopulationSimulator(options);
                    var detected = runner.Detect(simulator.Generate().Select(e => e.Utf8Json));
                    var result = DetectionEvaluator.Evaluate(simulator.Labels, detected.Anomalies.Select(EvaluatedAnomaly.From), options.Duration.TotalDays, alertSeverity);
                    runs.Add(($"seed {seed}, {simulator.Labels.Count:N0} accounts", result));
                    Console.Error.WriteLine($"evaluate: seed {seed}: {simulator.Labels.Count:N0} accounts, {detected.Events:N0} events, {detected.Anomalies.Count:N0} anomalies");
                }
            }

            var aggregate = EvaluationAggregate.Combine([.. runs.Select(r => r.Report)]);
            EvaluationTable.Print(aggregate, runs.Count == 1 ? runs[0].Name : $"{runs.Count} runs pooled");
            if (parse.GetValue(report) is { } reportFile)
            {
                using var stream = File.Create(reportFile.FullName);
                EvaluationReportJson.Write(stream, runs, aggregate);
                AnsiConsole.MarkupLine($"Report: [grey]{Markup.Escape(reportFile.FullName)}[/]");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static bool TryParseSeverity(string text, out Severity severity)
    {
        foreach (var candidate in Enum.GetValues<Severity>())
        {
            if (string.Equals(candidate.ToWireName(), text, StringComparison.OrdinalIgnoreCase))
            {
                severity = candidate;
                return true;
            }
        }

        severity = Severity.Medium;
        return false;
    }
}

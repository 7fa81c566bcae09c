using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Core.Engine;
using UsageSentinel.Detection.ML.Population;
using UsageSentinel.Simulation;
using UsageSentinel.Worker;
using UsageSentinel.Worker.Catalog;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.Cli.Commands;

/// <summary><c>usage-sentinel replay</c>: offline detection over an NDJSON file, deterministic.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "Events, one JSON object per line (shared/EVENTS.md).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Anomalies, one JSON object per line.", Required = true };
        var deadLetters = new Option<FileInfo?>("--dead-letters") { Description = "Where rejected lines go, with their reasons (optional)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress on stderr." };
        var noWarmUp = new Option<bool>("--no-warm-up")
        {
            Description = "Start on the input at once. By default an input of 256 MiB or more is preceded by a warm-up of the code on a small simulated sample (about a third of a second); the output is the same either way.",
        };
        var loops = new Option<int>("--loops")
        {
            Description = $"Detection loops, each on a core of its own, the accounts spread over them (1 to {ReplayRunner.MaxLoops}; default 1). Output is byte-identical for the same input and number of loops; a different number of loops gives slightly different output (links between accounts of different loops are seen at the next hour, peer priors are learnt per loop).",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("replay", "Run the worker's detection over a file, offline. The same input gives byte-identical output.")
        {
            input,
            output,
            deadLetters,
            quiet,
            noWarmUp,
            loops,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) =>
        {
            var configuration = SentinelConfiguration.Build(parse.UnmatchedTokens);
            if (!TryBindDetection(configuration, out var detection, out var catalogOptions, out var populationModel, Console.Error))
            {
                return Task.FromResult(ExitCodes.Configuration);
            }

            var loopCount = parse.GetValue(loops);
            if (loopCount is < 1 or > ReplayRunner.MaxLoops)
            {
                Console.Error.WriteLine($"usage-sentinel replay: --loops must be between 1 and {ReplayRunner.MaxLoops}, not {loopCount}.");
                return Task.FromResult(ExitCodes.Configuration);
            }

            var inputFile = parse.GetValue(input)!;
            if (!inputFile.Exists)
            {
                Console.Error.WriteLine($"usage-sentinel replay: --input '{inputFile.FullName}' does not exist.");
                return Task.FromResult(ExitCodes.Input);
            }

            Core.Catalog.GpuCatalog catalog;
            try
            {
                catalog = CatalogBuilder.Build(catalogOptions);
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"usage-sentinel: invalid configuration, nothing was started:{Environment.NewLine}  {ex.Message}");
                return Task.FromResult(ExitCodes.Configuration);
            }

            using var inputStream = new FileStream(inputFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var outputStream = new FileStream(parse.GetValue(output)!.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            using var deadLetterStream = parse.GetValue(deadLetters) is { } dl ? new FileStream(dl.FullName, FileMode.Create, FileAccess.Write) : null;
            var total = inputFile.Length;
            IProgress<ReplayProgress>? progress = parse.GetValue(quiet) ? null : new SynchronousProgress(p =>
                Console.Error.WriteLine($"replay: {p.Lines:N0} lines ({100.0 * p.Bytes / Math.Max(1, total):F0} %), {p.Lines / Math.Max(0.001, p.Elapsed.TotalSeconds):N0} events/s, {p.Anomalies:N0} anomalies"));
            var warmUp = parse.GetValue(noWarmUp) ? null : new ReplayWarmUp(WarmUpSample.Create);
            BatchCollections.Enter();
            var summary = new ReplayRunner(detection, catalog, populationModel: populationModel, warmUp: warmUp, loops: loopCount).Run(inputStream, outputStream, deadLetterStream, progress, cancellationToken);
            Console.Error.WriteLine(
                $"replay: {summary.Lines:N0} lines, {summary.Processed:N0} events processed, {summary.Duplicates:N0} duplicates, {summary.Late:N0} late, {summary.Anomalies:N0} anomalies, {summary.DeadLetters.Values.Sum():N0} rejected{Describe(summary)}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    internal static bool TryBindDetection(
        IConfiguration configuration, out DetectionOptions detection, out CatalogOptions catalog, out RandomizedPcaPopulationOptions populationModel, TextWriter error)
    {
        detection = new DetectionOptions();
        catalog = new CatalogOptions();
        populationModel = new RandomizedPcaPopulationOptions();
        configuration.GetSection(DetectionOptions.SectionName).Bind(detection);
        configuration.GetSection(CatalogOptions.SectionName).Bind(catalog);
        configuration.GetSection(WorkerServiceCollectionExtensions.PopulationModelSection).Bind(populationModel);
        var result = new DetectionOptionsValidator().Validate(null, detection);
        if (result.Failed)
        {
            ConfigurationErrors.Report(new OptionsValidationException(DetectionOptions.SectionName, typeof(DetectionOptions), result.Failures), error);
            return false;
        }

        var modelErrors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(populationModel, new(populationModel), modelErrors, validateAllProperties: true))
        {
            var failures = modelErrors.Select(e => $"{WorkerServiceCollectionExtensions.PopulationModelSection}:{string.Join(",", e.MemberNames)}: {e.ErrorMessage}");
            ConfigurationErrors.Report(new OptionsValidationException(WorkerServiceCollectionExtensions.PopulationModelSection, typeof(RandomizedPcaPopulationOptions), failures), error);
            return false;
        }

        return true;
    }

    private static string Describe(ReplaySummary summary)
    {
        var parts = summary.DeadLetters.Select(kv => $"{kv.Key}: {kv.Value:N0}").ToList();
        var text = parts.Count > 0 ? $" ({string.Join(", ", parts)})" : string.Empty;
        if (summary.UnknownInstanceTypes.Count > 0)
        {
            text += $"; instance types not in the catalog: {string.Join(", ", summary.UnknownInstanceTypes)}";
        }

        return text;
    }

    private sealed class SynchronousProgress(Action<ReplayProgress> report) : IProgress<ReplayProgress>
    {
        public void Report(ReplayProgress value) => report(value);
    }
}

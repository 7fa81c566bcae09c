using System.Globalization;

namespace UsageSentinel.Benchmarks.Harness;

/// <summary>
/// <c>harness [--quick] [--only engine|parser|replay|memory|restore|kafka]</c>: measures every figure of the
/// performance targets once and prints each as one <c>name: value</c> line on stdout (the unit is the name's suffix);
/// progress goes to stderr. <c>--only</c> (repeatable) measures just those groups, for work on one figure.
/// </summary>
internal static class HarnessRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var scale = args.Contains("--quick") ? HarnessScale.Quick : HarnessScale.Full;
        var only = args.Select((a, i) => (a, i)).Where(x => x.a == "--only" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToHashSet(StringComparer.Ordinal);
        bool Wanted(string group) => only.Count == 0 || only.Contains(group);
        var report = new HarnessReport();
        HarnessReport.Progress($"harness: {(scale.IsQuick ? "quick" : "full")} run, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        if (Wanted("engine"))
        {
            await report.MeasureAsync(["engine_events_per_s", "engine_bytes_per_event"], () => EngineFigure.Run(scale, report));
        }

        if (Wanted("parser"))
        {
            await report.MeasureAsync(["parser_events_per_s", "parser_bytes_per_event"], () => ParserFigure.Run(scale, report));
        }

        if (Wanted("replay"))
        {
            await report.MeasureAsync(["replay_events_per_s", "replay_loops", "replay_one_loop_events_per_s"], () => ReplayFigure.Run(scale, report));
        }

        if (Wanted("memory"))
        {
            await report.MeasureAsync(["bytes_per_account"], () => MemoryFigure.Run(scale, report));
        }

        if (Wanted("restore"))
        {
            await report.MeasureAsync(["restore_accounts_per_s", "restore_1m_accounts_s"], () => RestoreFigure.Run(scale, report));
        }

        if (Wanted("kafka"))
        {
            // The worker runs in this process: it must not pay for the memory and restore figures' million accounts,
            // garbage by now (a worker process would not have them). With classic server GC the heap they grew stays
            // until a full compacting collection gives it back.
            Settle();
            await report.MeasureAsync(
                ["kafka_worker_events_per_s", "kafka_bare_events_per_s", "kafka_ratio", "kafka_warm_worker_events_per_s", "kafka_warm_ratio", "latency_p99_ms", "retrain_latency_p99_ms"],
                () => KafkaFigures.RunAsync(scale, report));
        }

        report.SummarizeTargets(scale);
        return report.Missing == 0 ? 0 : 1;
    }

    /// <summary>Collects and compacts every generation, the large object heap too, and gives the memory back.</summary>
    internal static void Settle()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}

/// <summary>Input sizes of a full and of a quick run.</summary>
internal sealed record HarnessScale(
    bool IsQuick, int EngineRounds, int ParserEvents, int ReplayEvents, int MemoryAccounts, int KafkaEvents, TimeSpan LatencyDuration, int RetrainAccounts)
{
    public static HarnessScale Full { get; } = new(false, 12, 3_000_000, 5_000_000, 1_000_000, 1_000_000, TimeSpan.FromSeconds(30), 1_000_000);

    public static HarnessScale Quick { get; } = new(true, 4, 400_000, 500_000, 100_000, 400_000, TimeSpan.FromSeconds(8), 100_000);
}

/// <summary>Prints figures; a figure that fails still prints its lines, as <c>n/a</c>.</summary>
internal sealed class HarnessReport
{
    /// <summary>The issue's targets by line: at least (<c>true</c>) or at most the value.</summary>
    private static readonly (string Name, bool AtLeast, double Target)[] Targets =
    [
        ("engine_events_per_s", true, 2_000_000),
        ("engine_bytes_per_event", false, 0),
        ("parser_events_per_s", true, 1_000_000),
        ("replay_events_per_s", true, 500_000),
        ("bytes_per_account", false, 2_048),
        ("restore_1m_accounts_s", false, 60),
        ("kafka_ratio", true, 0.80),
        ("latency_p99_ms", false, 200),
        ("retrain_latency_p99_ms", false, 400),
    ];

    private readonly HashSet<string> _printed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public int Missing { get; private set; }

    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    public void Print(string name, double value, int decimals = 0)
    {
        _printed.Add(name);
        var text = value.ToString(decimals == 0 ? "F0" : "F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        _values[name] = text;
        Console.Out.WriteLine($"{name}: {text}");
        Console.Out.Flush();
    }

    public async Task MeasureAsync(string[] names, Func<Task> measure)
    {
        try
        {
            await measure();
        }
#pragma warning disable CA1031 // one failing figure must not hide the others
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Progress($"{string.Join(", ", names)} failed: {ex}");
        }

        foreach (var name in names.Where(n => !_printed.Contains(n)))
        {
            Missing++;
            Console.Out.WriteLine($"{name}: n/a");
        }

        Console.Out.Flush();
    }

    /// <summary>
    /// Tells on stderr, for each target the run measured, whether the printed value meets it (the value as printed,
    /// so a rounded 0.00 bytes is met). Information only: the exit code does not depend on it.
    /// </summary>
    public void SummarizeTargets(HarnessScale scale)
    {
        var judged = Targets.Where(t => _values.ContainsKey(t.Name)).ToList();
        if (judged.Count == 0)
        {
            return;
        }

        var missed = judged.Where(t => !Meets(t)).Select(t => $"{t.Name} {_values[t.Name]} ({(t.AtLeast ? ">=" : "<=")} {t.Target.ToString(CultureInfo.InvariantCulture)})").ToList();
        var scope = scale.IsQuick ? " (quick run: smaller inputs than the targets are set for)" : string.Empty;
        Progress(missed.Count == 0
            ? $"targets: all {judged.Count} measured met{scope}"
            : $"targets: {judged.Count - missed.Count} of {judged.Count} measured met{scope}; missed: {string.Join(", ", missed)}");
    }

    private bool Meets((string Name, bool AtLeast, double Target) target)
    {
        var value = double.Parse(_values[target.Name], CultureInfo.InvariantCulture);
        return target.AtLeast ? value >= target.Target : value <= target.Target;
    }

    public Task MeasureAsync(string[] names, Action measure) => MeasureAsync(names, () =>
    {
        measure();
        return Task.CompletedTask;
    });

    public static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}

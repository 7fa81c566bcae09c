using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Linking;
using UsageSentinel.Detection.ML.Population;
using UsageSentinel.Kafka.Anomalies;
using UsageSentinel.Kafka.Contract;

namespace UsageSentinel.Worker.Replay;

/// <summary>
/// Runs the worker's detection engine over a newline-delimited JSON file, offline: one engine with events in file order,
/// or several loops in lockstep. The same input (and number of loops) gives byte-identical output.
/// </summary>
public sealed class ReplayRunner
{
    /// <summary>The most detection loops a replay runs.</summary>
    public const int MaxLoops = 64;

    private readonly DetectionOptions _options;
    private readonly GpuCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly RandomizedPcaPopulationOptions _populationModel;
    private readonly ReplayWarmUp? _warmUp;
    private readonly int _loops;

    /// <summary>Initializes a new instance of the <see cref="ReplayRunner"/> class.</summary>
    /// <param name="options">Detection options.</param>
    /// <param name="catalog">The GPU catalog.</param>
    /// <param name="time">Time for progress reports only.</param>
    /// <param name="populationModel">Options of the <c>population_outlier</c> model; defaults when null.</param>
    /// <param name="warmUp">How a large input is warmed up for; never when null.</param>
    /// <param name="loops">
    /// How many detection loops <see cref="Run"/> spreads the accounts over, each on a thread of its own (1 to
    /// <see cref="MaxLoops"/>). The output is the same for the same input and number of loops; see
    /// <see cref="LockstepStage"/> for how several loops differ from one.
    /// </param>
    public ReplayRunner(DetectionOptions options, GpuCatalog catalog, TimeProvider? time = null, RandomizedPcaPopulationOptions? populationModel = null, ReplayWarmUp? warmUp = null, int loops = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(loops);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(loops, MaxLoops);
        _loops = loops;
        _warmUp = warmUp;
        _options = options;
        _catalog = catalog;
        _time = time ?? TimeProvider.System;
        _populationModel = populationModel ?? new RandomizedPcaPopulationOptions();
    }

    /// <summary>Replays <paramref name="input"/> and writes anomalies, one JSON per line, to <paramref name="output"/>.</summary>
    /// <remarks>
    /// Two stages, as in the worker: the calling thread reads and parses lines, dedicated threads run the engines over
    /// the parsed events, handed over in batches. With one loop the engine sees exactly the sequence a single thread
    /// would give it; several loops meet at every evaluation boundary (<see cref="LockstepStage"/>); either way the
    /// output does not depend on the stages' timing. A large input is warmed up for first
    /// when the runner was given a <see cref="ReplayWarmUp"/>; the progress's elapsed time includes the warm-up.
    /// </remarks>
    /// <param name="input">The events.</param>
    /// <param name="output">Receives the anomalies.</param>
    /// <param name="deadLetters">Receives rejected lines with their reasons, one JSON per line; may be null.</param>
    /// <param name="progress">Receives progress about once a second; may be null.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>The summary.</returns>
    public ReplaySummary Run(Stream input, Stream output, Stream? deadLetters, IProgress<ReplayProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var started = _time.GetTimestamp();
        if (_warmUp is not null && _warmUp.AppliesTo(input))
        {
            var sample = _warmUp.Sample();
            for (var pass = 0; pass < _warmUp.Passes; pass++)
            {
                using var warm = new MemoryStream(sample, writable: false);
                Run(warm, Stream.Null, null, null, started, cancellationToken);
            }
        }

        return Run(input, output, deadLetters, progress, started, cancellationToken);
    }

    private ReplaySummary Run(Stream input, Stream output, Stream? deadLetters, IProgress<ReplayProgress>? progress, long started, CancellationToken cancellationToken)
    {
        var rejected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var nextReport = started;
        var frequency = _time.TimestampFrequency;
        long lines = 0, bytes = 0, lineNumber = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var deadLetterBuffer = new ArrayBufferWriter<byte>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stage = CreateStage(output, FillsDedup(input), stop);
        try
        {
            var filled = 0;
            var eof = false;
            while (!eof || filled > 0)
            {
                stop.Token.ThrowIfCancellationRequested();
                if (!eof && filled < buffer.Length)
                {
                    var read = input.Read(buffer, filled, buffer.Length - filled);
                    eof = read == 0;
                    filled += read;
                }

                var span = buffer.AsSpan(0, filled);
                var consumed = 0;
                while (true)
                {
                    var rest = span[consumed..];
                    var newline = rest.IndexOf((byte)'\n');
                    if (newline < 0 && !(eof && rest.Length > 0))
                    {
                        break;
                    }

                    var line = newline < 0 ? rest : rest[..newline];
                    consumed += newline < 0 ? rest.Length : newline + 1;
                    lineNumber++;
                    bytes += line.Length + 1;
                    line = line.TrimEnd((byte)'\r');
                    if (IsBlank(line))
                    {
                        continue;
                    }

                    lines++;
                    if (ContractParser.TryParse(line, out var @event, out var error))
                    {
                        stage.Add(@event, lineNumber, stop.Token);
                    }
                    else
                    {
                        var code = error.Reason.ToCode();
                        rejected[code] = rejected.GetValueOrDefault(code) + 1;
                        if (deadLetters is not null)
                        {
                            WriteDeadLetter(deadLetterBuffer, lineNumber, code, error.Message, line);
                            deadLetters.Write(deadLetterBuffer.WrittenSpan);
                            deadLetterBuffer.ResetWrittenCount();
                        }
                    }
                }

                if (consumed == 0 && filled == buffer.Length)
                {
                    // A line longer than the buffer: grow it.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                    continue;
                }

                span[consumed..].CopyTo(buffer);
                filled -= consumed;
                if (progress is not null && _time.GetTimestamp() >= nextReport)
                {
                    progress.Report(new ReplayProgress(lines, bytes, stage.Anomalies, _time.GetElapsedTime(started)));
                    nextReport = _time.GetTimestamp() + frequency;
                }
            }

            stage.Complete(stop.Token);
            stage.Detection.GetAwaiter().GetResult();
            progress?.Report(new ReplayProgress(lines, bytes, stage.Anomalies, _time.GetElapsedTime(started)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Only a failed detection stage stops the reading on its own: its exception is the one to report.
            stage.Detection.GetAwaiter().GetResult();
            throw;
        }
        finally
        {
            if (!stage.Detection.IsCompleted)
            {
                // Reading failed or was cancelled: stop the detection stage before the engines and streams go.
                stop.Cancel();
                stage.Abort();
                try
                {
                    stage.Detection.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // Reading's exception is the one to report.
                }
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }

        output.Flush();
        deadLetters?.Flush();
        return new ReplaySummary
        {
            Lines = lines,
            Processed = stage.Counters.Sum(c => c.Processed),
            Duplicates = stage.Counters.Sum(c => c.Duplicates),
            Late = stage.Counters.Sum(c => c.Late),
            SweepVisits = stage.Counters.Sum(c => c.SweepVisits),
            PassedOver = stage.Counters.Sum(c => c.PassedOver),
            Anomalies = stage.Anomalies,
            DeadLetters = rejected,
            UnknownInstanceTypes = stage.UnknownInstanceTypes,
        };
    }

    /// <summary>Runs detection over events held in memory, in the given order, and returns the anomalies.</summary>
    /// <param name="events">UTF-8 JSON events.</param>
    /// <returns>The anomalies in the order raised, and what the input covered.</returns>
    public DetectionResult Detect(IEnumerable<byte[]> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var sink = new Collecting();
        var engine = CreateEngine(sink);
        long rejected = 0, sequence = 0;
        long first = long.MaxValue, last = long.MinValue;
        foreach (var utf8 in events)
        {
            if (ContractParser.TryParse(utf8, out var @event, out _))
            {
                first = Math.Min(first, @event.OccurredAt.UtcTicks);
                last = Math.Max(last, @event.OccurredAt.UtcTicks);
                engine.Offer(@event, sequence++);
            }
            else
            {
                rejected++;
            }
        }

        engine.Flush();
        var span = sequence == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(last - first);
        return new DetectionResult(sink.Anomalies, sequence, rejected, span, engine.Counters);
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteDeadLetter(ArrayBufferWriter<byte> buffer, long line, string code, string message, ReadOnlySpan<byte> original)
    {
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("line", line);
            writer.WriteString("reason", code);
            writer.WriteString("message", message);
            if (Utf8.IsValid(original))
            {
                writer.WriteString("original", original);
            }
            else
            {
                writer.WriteBase64String("original_base64", original);
            }

            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
    }

    // Inline training: the model changes at fixed event times, so the same input gives the same bytes. An input that
    // will fill the duplicate-id set has it take its full size at once.
    private DetectionEngine<long> CreateEngine(IDetectionOutput<long> sink, bool large = false) =>
        new(_options, _catalog, sink, population: new InlinePopulationTraining(new RandomizedPcaPopulationTrainer(_populationModel)), presizeDedup: large);

    private IDetectionStage CreateStage(Stream output, bool large, CancellationTokenSource stop)
    {
        if (_loops == 1)
        {
            return new SingleLoopStage(sink => CreateEngine(sink, large), output, stop);
        }

        // Each loop sees about its share of the events, so its share of the ids keeps the same window of recent events.
        var dedupShare = (_options.DedupCapacity + _loops - 1) / _loops;
        var population = new LockstepPopulationTraining(
            new RandomizedPcaPopulationTrainer(_populationModel), _loops, _options.PopulationOutlier.MinimumAccounts);
        return new LockstepStage(
            _loops,
            (loop, sink, links, training, lockstep) => new DetectionEngine<long>(
                _options, _catalog, sink, links, training, loop, presizeDedup: large, dedupCapacity: dedupShare, lockstep: lockstep),
            () => LinkGraph.For(_options),
            population,
            output,
            stop);
    }

    /// <summary>Whether <paramref name="input"/> holds at least as many events as the duplicate-id set keeps (no event is below 100 bytes).</summary>
    private bool FillsDedup(Stream input) => input.CanSeek && input.Length >= 100L * _options.DedupCapacity;

    private sealed class Collecting : IDetectionOutput<long>
    {
        public List<AnomalyDetected> Anomalies { get; } = [];

        public void OnAnomaly(AnomalyDetected anomaly, long token) => Anomalies.Add(anomaly);

        public void OnEventDone(long token, EventOutcome outcome)
        {
        }

        public void OnUnknownInstanceType(string instanceType, string? gpuModel)
        {
        }
    }
}

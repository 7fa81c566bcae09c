using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Detection.ML.Population;
using UsageSentinel.Kafka.Anomalies;
using UsageSentinel.Kafka.Contract;

namespace UsageSentinel.Worker.Replay;

/// <summary>
/// Runs the worker's detection engine over a newline-delimited JSON file, offline. One engine, events in file
/// order: the same input gives byte-identical output.
/// </summary>
public sealed class ReplayRunner
{
    private const int FlushThreshold = 1 << 16;
    private readonly DetectionOptions _options;
    private readonly GpuCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly RandomizedPcaPopulationOptions _populationModel;
    private readonly ReplayWarmUp? _warmUp;

    /// <summary>Initializes a new instance of the <see cref="ReplayRunner"/> class.</summary>
    /// <param name="options">Detection options.</param>
    /// <param name="catalog">The GPU catalog.</param>
    /// <param name="time">Time for progress reports only.</param>
    /// <param name="populationModel">Options of the <c>population_outlier</c> model; defaults when null.</param>
    /// <param name="warmUp">How a large input is warmed up for; never when null.</param>
    public ReplayRunner(DetectionOptions options, GpuCatalog catalog, TimeProvider? time = null, RandomizedPcaPopulationOptions? populationModel = null, ReplayWarmUp? warmUp = null)
    {
        _warmUp = warmUp;
        _options = options;
        _catalog = catalog;
        _time = time ?? TimeProvider.System;
        _populationModel = populationModel ?? new RandomizedPcaPopulationOptions();
    }

    /// <summary>Replays <paramref name="input"/> and writes anomalies, one JSON per line, to <paramref name="output"/>.</summary>
    /// <remarks>
    /// Two stages, as in the worker: the calling thread reads and parses lines, a dedicated thread runs the one engine
    /// over the parsed events in file order, handed over in batches. The engine sees exactly the sequence a single
    /// thread would give it, so the output does not depend on the stages' timing. A large input is warmed up for first
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
        var sink = new Output(output);
        var engine = CreateEngine(sink, FillsDedup(input));
        var rejected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var nextReport = started;
        var frequency = _time.TimestampFrequency;
        long lines = 0, bytes = 0, lineNumber = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var deadLetterBuffer = new ArrayBufferWriter<byte>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var handOff = new BatchHandOff();
        var detection = Task.Factory.StartNew(
            () => Detect(handOff, engine, sink, stop),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            var batch = handOff.TakeEmpty(stop.Token);
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
                        if (batch.Add(@event, lineNumber))
                        {
                            handOff.Publish(batch, stop.Token);
                            batch = handOff.TakeEmpty(stop.Token);
                        }
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
                    progress.Report(new ReplayProgress(lines, bytes, sink.Count, _time.GetElapsedTime(started)));
                    nextReport = _time.GetTimestamp() + frequency;
                }
            }

            handOff.Publish(batch, stop.Token);
            handOff.Complete();
            detection.GetAwaiter().GetResult();
            progress?.Report(new ReplayProgress(lines, bytes, sink.Count, _time.GetElapsedTime(started)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Only a failed detection stage stops the reading on its own: its exception is the one to report.
            detection.GetAwaiter().GetResult();
            throw;
        }
        finally
        {
            if (!detection.IsCompleted)
            {
                // Reading failed or was cancelled: stop the detection stage before the engine and streams go.
                stop.Cancel();
                handOff.Complete();
                try
                {
                    detection.Wait(CancellationToken.None);
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
            Processed = engine.Counters.Processed,
            Duplicates = engine.Counters.Duplicates,
            Late = engine.Counters.Late,
            SweepVisits = engine.Counters.SweepVisits,
            PassedOver = engine.Counters.PassedOver,
            Anomalies = sink.Count,
            DeadLetters = rejected,
            UnknownInstanceTypes = sink.UnknownTypes,
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

    /// <summary>The detection stage: offers each batch's events in order, then flushes the engine at the end of input.</summary>
    private static void Detect(BatchHandOff handOff, DetectionEngine<long> engine, Output sink, CancellationTokenSource stop)
    {
        try
        {
            while (handOff.TryTakeFull(stop.Token, out var batch))
            {
                DetectBatch(batch, engine, sink);
                batch.Clear();
                handOff.ReturnEmpty(batch);
            }

            stop.Token.ThrowIfCancellationRequested();
            engine.Flush();
            sink.FlushIfLarge(0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stop the reading stage at once: it reports this exception.
            stop.Cancel();
            throw;
        }
    }

    /// <remarks>
    /// A method of its own, called once per batch, so that the JIT optimises it fully (with profile data) after a few
    /// batches; inside the stage's one long-running loop it would run as an on-stack-replacement version.
    /// </remarks>
    private static void DetectBatch(EventBatch batch, DetectionEngine<long> engine, Output sink)
    {
        var events = batch.Events;
        var lineNumbers = batch.LineNumbers;
        for (var i = 0; i < events.Length; i++)
        {
            engine.Offer(events[i], lineNumbers[i]);
        }

        sink.FlushIfLarge(FlushThreshold);
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

    private sealed class Output(Stream stream) : IDetectionOutput<long>
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);

        private long _count;

        // Written by the detection stage, read for progress by the reading stage.
        public long Count => Volatile.Read(ref _count);

        public List<string> UnknownTypes { get; } = [];

        public void OnAnomaly(AnomalyDetected anomaly, long token)
        {
            AnomalyJson.Write(_buffer, anomaly);
            _buffer.Write("\n"u8);
            Volatile.Write(ref _count, _count + 1);
        }

        public void OnEventDone(long token, EventOutcome outcome)
        {
        }

        public void OnUnknownInstanceType(string instanceType, string? gpuModel) => UnknownTypes.Add(instanceType);

        public void FlushIfLarge(int threshold)
        {
            if (_buffer.WrittenCount > threshold || (threshold == 0 && _buffer.WrittenCount > 0))
            {
                stream.Write(_buffer.WrittenSpan);
                _buffer.ResetWrittenCount();
            }
        }
    }
}

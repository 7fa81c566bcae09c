using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Delivery;

namespace UsageSentinel.Webhooks.Outbox;

/// <summary>
/// The durable outbox: an append-only journal (<c>outbox.journal</c> under <see cref="AlertingOptions.OutboxPath"/>)
/// of accepted deliveries and their acknowledgements, fsynced on accept, rewritten with only the live records when
/// enough deliveries have finished and at every open. A lock file keeps a second process off the same folder. The
/// journal is opened on first use; then the deliveries still pending are handed to their receivers' queues.
/// </summary>
internal sealed partial class AlertOutbox : IDisposable
{
    private const string JournalFileName = "outbox.journal";
    private const string LockFileName = "outbox.lock";

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly int _capacity;
    private readonly int _compactionThreshold;
    private readonly TimeProvider _time;
    private readonly AlertingStats _stats;
    private readonly ILogger _logger;
    private readonly IncidentTable _incidents;
    private readonly SortedDictionary<long, OutboxEntry> _pending = [];
    private readonly Dictionary<string, DeliveryQueue> _queues = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private FileStream? _lockFile;
    private FileStream? _journal;
    private long _nextSequence = 1;
    private int _finishedSinceCompaction;
    private bool _disposed;

    public AlertOutbox(IOptions<AlertingOptions> options, TimeProvider timeProvider, AlertingStats stats, ILogger<AlertOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _directory = Path.GetFullPath(value.OutboxPath);
        _capacity = value.OutboxCapacity;
        _compactionThreshold = value.OutboxCompactionThreshold;
        _incidents = new IncidentTable(value.IncidentRetention);
        _time = timeProvider;
        _stats = stats;
        _logger = logger;
        _writer = new Utf8JsonWriter(_buffer);
    }

    public string JournalPath => Path.Combine(_directory, JournalFileName);

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Opens the outbox if needed and returns the queue of <paramref name="receiver"/>'s pending deliveries.</summary>
    public DeliveryQueue QueueFor(string receiver)
    {
        lock (_gate)
        {
            EnsureOpen();
            return GetQueue(receiver);
        }
    }

    /// <summary>Opens the outbox if needed and returns the pending deliveries of receivers not in <paramref name="configured"/>.</summary>
    public IReadOnlyList<OutboxEntry> PendingOfOtherReceivers(IReadOnlySet<string> configured)
    {
        lock (_gate)
        {
            EnsureOpen();
            return _pending.Values.Where(e => !configured.Contains(e.Receiver)).ToArray();
        }
    }

    /// <summary>
    /// Stores one delivery of <paramref name="content"/> per receiver that does not already have it, and fsyncs the
    /// journal before it returns. Receivers beyond the capacity are reported in <see cref="AcceptResult.Rejected"/>.
    /// </summary>
    public AcceptResult Accept(AlertContent content, IReadOnlyList<string> receivers)
    {
        var result = new AcceptResult();
        lock (_gate)
        {
            EnsureOpen();
            var now = _time.GetUtcNow();
            try
            {
                foreach (var receiver in receivers)
                {
                    if (!_incidents.ShouldAccept(receiver, content, now, out var previous))
                    {
                        result.Suppressed.Add(receiver);
                    }
                    else if (_pending.Count + result.Accepted.Count >= _capacity)
                    {
                        result.Rejected.Add(receiver);
                    }
                    else
                    {
                        var entry = new OutboxEntry(_nextSequence++, receiver, now, content, previous);
                        WriteAccept(entry);
                        result.Accepted.Add(entry);
                    }
                }

                if (result.Accepted.Count > 0)
                {
                    WriteBuffer(_journal!);
                    _journal!.Flush(flushToDisk: true);
                }
            }
            finally
            {
                _buffer.ResetWrittenCount();
            }

            foreach (var entry in result.Accepted)
            {
                _pending.Add(entry.Sequence, entry);
                _incidents.Apply(entry);
                GetQueue(entry.Receiver).Add(entry);
                _stats.OnAccepted();
            }

            _stats.SetPending(_pending.Count);
        }

        return result;
    }

    /// <summary>Acknowledges a delivery: it leaves the outbox. Flushed to the OS, not fsynced (a lost acknowledgement means a repeated delivery).</summary>
    public void Complete(OutboxEntry entry, DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (_journal is null || !_pending.Remove(entry.Sequence))
            {
                return;
            }

            if (outcome == DeliveryOutcome.DeadLettered)
            {
                _incidents.OnDeadLettered(entry);
            }

            try
            {
                WriteAck(entry.Sequence, outcome);
                WriteBuffer(_journal);
                _journal.Flush();
            }
            finally
            {
                _buffer.ResetWrittenCount();
            }

            _stats.SetPending(_pending.Count);
            if (++_finishedSinceCompaction >= _compactionThreshold)
            {
                Compact();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _journal?.Dispose();
            _journal = null;
            _lockFile?.Dispose();
            _lockFile = null;
            _writer.Dispose();
        }
    }

    private DeliveryQueue GetQueue(string receiver)
    {
        if (!_queues.TryGetValue(receiver, out var queue))
        {
            queue = new DeliveryQueue();
            _queues[receiver] = queue;
        }

        return queue;
    }

    private void EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_journal is not null)
        {
            return;
        }

        Directory.CreateDirectory(_directory);
        try
        {
            _lockFile = new FileStream(Path.Combine(_directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"The alert outbox at {_directory} is in use by another process.", ex);
        }

        if (File.Exists(JournalPath))
        {
            Replay(File.ReadAllBytes(JournalPath));
        }

        Compact();
        foreach (var entry in _pending.Values)
        {
            GetQueue(entry.Receiver).Add(entry);
        }

        _stats.SetPending(_pending.Count);
        _logger.OutboxOpened(_directory, _pending.Count, _incidents.Count);
    }

    /// <summary>Rewrites the journal with only the live records: a header, the open incidents and the pending deliveries.</summary>
    private void Compact()
    {
        var temporary = JournalPath + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                WriteHeader();
                foreach (var (receiver, dedupKey, snapshot) in _incidents.Live(_time.GetUtcNow()))
                {
                    WriteIncident(receiver, dedupKey, snapshot);
                    WriteBufferWhenLarge(stream);
                }

                foreach (var entry in _pending.Values)
                {
                    WriteAccept(entry);
                    WriteBufferWhenLarge(stream);
                }

                WriteBuffer(stream);
                stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            _buffer.ResetWrittenCount();
        }

        _journal?.Dispose();
        File.Move(temporary, JournalPath, overwrite: true);
        _journal = new FileStream(JournalPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        _finishedSinceCompaction = 0;
        _logger.OutboxCompacted(_pending.Count, _journal.Length);
    }

    private void WriteBufferWhenLarge(FileStream stream)
    {
        if (_buffer.WrittenCount >= 64 * 1024)
        {
            WriteBuffer(stream);
        }
    }

    private void WriteBuffer(FileStream stream)
    {
        stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}

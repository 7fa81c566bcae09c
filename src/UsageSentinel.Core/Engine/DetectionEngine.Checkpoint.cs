using System.Buffers;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.State;

namespace UsageSentinel.Core.Engine;

/// <summary>
/// The engine's side of durable state: per-stream event-time clocks (the watermark of positioned input is the slowest
/// stream's), change tracking for incremental snapshots, and the engine-wide clock a checkpoint saves with them.
/// </summary>
public sealed partial class DetectionEngine<TToken>
{
    private static ReadOnlySpan<byte> ClockMagic => "USEC"u8;

    private const byte ClockVersion = 1;

    private readonly Dictionary<long, StreamClock> _streams = [];
    private readonly List<AccountState> _changed = [];
    private readonly List<KeyValuePair<string, byte[]>> _evictedChanges = [];
    private bool _trackChanges;

    /// <summary>Gets the number of accounts changed since the last <see cref="ExportChanges"/>.</summary>
    public int ChangedAccounts => _changed.Count + _evictedChanges.Count;

    /// <summary>
    /// Starts tracking which accounts change, for <see cref="ExportChanges"/>. Off by default (replay needs no
    /// snapshots); accounts restored with <see cref="RestoreAccount"/> are not counted as changed.
    /// </summary>
    public void TrackChanges() => _trackChanges = true;

    /// <summary>
    /// Declares an input stream and whether it is idle (caught up: nothing more to read for now). The watermark of
    /// positioned input is just before the slowest non-idle stream's newest event time less the allowed lateness, so a stream
    /// declared but not yet read holds processing back until it delivers or is declared idle; when every stream is
    /// idle, the newest event time of all of them counts.
    /// </summary>
    /// <param name="stream">The stream, as in <see cref="InputOffset.Stream"/>.</param>
    /// <param name="idle">Whether it is idle.</param>
    public void SetStreamIdle(long stream, bool idle)
    {
        var clock = StreamClockOf(stream);
        if (clock.Idle == idle)
        {
            return;
        }

        clock.Idle = idle;
        Drain(Watermark());
    }

    /// <summary>
    /// Judges the linked-account groups this engine is responsible for at the event time processed so far: called when
    /// figures of members held by other workers arrived, which may be after this engine's last evaluation.
    /// </summary>
    /// <param name="token">Handed back with the anomalies raised.</param>
    public void EvaluateLinkedGroups(TToken token)
    {
        if (_processedTicks == long.MinValue)
        {
            return;
        }

        lock (_links)
        {
            _links.EvaluateGroups(_loop, _processedTicks, _raised);
        }

        Emit(token);
    }

    /// <summary>
    /// Declares the engine's input streams: each is tracked (active until declared idle) and streams a restored clock
    /// knew that are not among them are forgotten, so an input no longer read cannot hold the watermark back.
    /// </summary>
    /// <param name="streams">The streams.</param>
    public void RetainStreams(IReadOnlyCollection<long> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var stream in _streams.Keys.ToList())
        {
            if (!streams.Contains(stream))
            {
                _streams.Remove(stream);
            }
        }

        foreach (var stream in streams)
        {
            StreamClockOf(stream).Idle = false;
        }
    }

    /// <summary>
    /// Writes each account changed since the last call (<see cref="AccountStateCodec"/> bytes, oldest change first,
    /// evicted accounts included) and forgets that they changed.
    /// </summary>
    /// <param name="write">Receives the account id and its state; the span is valid during the call only.</param>
    /// <returns>The number of accounts written.</returns>
    public int ExportChanges(Action<string, ReadOnlyMemory<byte>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var count = 0;
        foreach (var (accountId, bytes) in _evictedChanges)
        {
            write(accountId, bytes);
            count++;
        }

        _evictedChanges.Clear();
        var buffer = new ArrayBufferWriter<byte>(4_096);
        foreach (var account in _changed)
        {
            account.Changed = false;
            if (!_accounts.TryGetValue(account.AccountId, out var live) || !ReferenceEquals(live, account))
            {
                continue; // evicted after it changed: written above.
            }

            buffer.ResetWrittenCount();
            AccountStateCodec.Write(account, _models, buffer);
            write(account.AccountId, buffer.WrittenMemory);
            count++;
        }

        _changed.Clear();
        return count;
    }

    /// <summary>Restores one account written by <see cref="ExportChanges"/>, without counting it as changed.</summary>
    /// <param name="data">The account's bytes.</param>
    /// <returns>The account id.</returns>
    /// <exception cref="InvalidDataException">The bytes are truncated, corrupt or of a newer format.</exception>
    public string RestoreAccount(ReadOnlySpan<byte> data) => ImportAccount(data);

    /// <summary>
    /// Adds, per stream, the lowest offset of an event still waiting for the watermark: where input must be read again
    /// from after a restore so that waiting events are not lost (the state skips what it already reflects).
    /// </summary>
    /// <param name="lowest">Receives stream → lowest waiting offset, lowered where it already has a value.</param>
    public void LowestWaitingOffsets(IDictionary<long, long> lowest)
    {
        ArgumentNullException.ThrowIfNull(lowest);
        foreach (var element in _queue.Items)
        {
            if (element.Input is { } input)
            {
                lowest[input.Stream] = lowest.TryGetValue(input.Stream, out var known) ? Math.Min(known, input.Offset) : input.Offset;
            }
        }
    }

    /// <summary>
    /// Writes the engine-wide clock a checkpoint needs besides the accounts: the event time processed, the next
    /// evaluation boundary, the newest event time offered, each stream's newest event time and idleness, the peer
    /// priors of the usage and spend baselines, and the sequence that orders the sweep list.
    /// </summary>
    /// <param name="output">Receives the bytes.</param>
    public void WriteClock(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new StateWriter(256);
        foreach (var b in ClockMagic)
        {
            writer.WriteByte(b);
        }

        writer.WriteByte(ClockVersion);
        writer.WriteInt64(_processedTicks);
        writer.WriteInt64(_nextSweepTicks);
        writer.WriteInt64(_maxOfferedTicks);
        // A stream's newest time counts waiting events, which a restore reads again; saved as is it would let another
        // stream's events pass them before they are back in the queue (and make them late). Capped so that the
        // restored watermark starts at the event time processed; re-reading raises each stream's clock as before.
        var cap = _processedTicks == long.MinValue ? long.MinValue : _processedTicks + _latenessTicks + 1;
        writer.WriteVarUInt64((ulong)_streams.Count);
        foreach (var (stream, clock) in _streams)
        {
            writer.WriteInt64(stream);
            writer.WriteInt64(Math.Min(clock.MaxTicks, cap));
            writer.WriteBool(clock.Idle);
        }

        // Peer priors of the usage and spend baselines: learnt from every account of the engine, so not in any one.
        _deviation.WritePeers(writer);
        writer.WriteVarInt64(_sweepSequence);
        output.Write(writer.Written);
    }

    /// <summary>Restores what <see cref="WriteClock"/> wrote; call before offering events.</summary>
    /// <param name="data">The bytes.</param>
    /// <exception cref="InvalidDataException">The bytes are not a clock of a known version.</exception>
    public void ReadClock(ReadOnlySpan<byte> data)
    {
        var reader = new StateReader(data, "engine clock");
        foreach (var b in ClockMagic)
        {
            if (reader.ReadByte("magic") != b)
            {
                throw reader.Corrupt("magic", "not an engine clock (expected \"USEC\")");
            }
        }

        var version = reader.ReadByte("version");
        if (version != ClockVersion)
        {
            throw reader.Corrupt("version", $"version {version} is not supported (this build reads {ClockVersion})");
        }

        reader.RequireMore("processed_ticks");
        _processedTicks = reader.ReadInt64("processed_ticks");
        reader.RequireMore("next_sweep_ticks");
        _nextSweepTicks = reader.ReadInt64("next_sweep_ticks");
        reader.RequireMore("max_offered_ticks");
        _maxOfferedTicks = reader.ReadInt64("max_offered_ticks");
        var count = reader.ReadElementCount("streams", 17);
        for (var i = 0; i < count; i++)
        {
            reader.RequireMore("stream");
            var clock = StreamClockOf(reader.ReadInt64("stream"));
            reader.RequireMore("stream_max_ticks");
            clock.MaxTicks = reader.ReadInt64("stream_max_ticks");
            reader.RequireMore("stream_idle");
            clock.Idle = reader.ReadBool("stream_idle");
        }

        if (!reader.AtSectionEnd)
        {
            _deviation.ReadPeers(ref reader);
        }

        _sweepSequence = Math.Max(_sweepSequence, reader.ReadVarInt64("sweep sequence"));
    }

    private void MarkChanged(AccountState account)
    {
        if (_trackChanges && !account.Changed)
        {
            account.Changed = true;
            _changed.Add(account);
        }
    }

    private void KeepEvictedChange(AccountState account, ReadOnlySpan<byte> state)
    {
        if (_trackChanges && account.Changed)
        {
            _evictedChanges.Add(new(account.AccountId, state.ToArray()));
        }
    }

    private StreamClock StreamClockOf(long stream)
    {
        if (!_streams.TryGetValue(stream, out var clock))
        {
            clock = new StreamClock();
            _streams.Add(stream, clock);
        }

        return clock;
    }

    private void DrainIf(bool clockAdvanced)
    {
        if (clockAdvanced)
        {
            Drain(Watermark());
        }
    }

    private long Watermark()
    {
        var slowest = long.MaxValue;
        var newest = long.MinValue;
        var anyActive = false;
        foreach (var clock in _streams.Values)
        {
            newest = Math.Max(newest, clock.MaxTicks);
            if (!clock.Idle)
            {
                anyActive = true;
                slowest = Math.Min(slowest, clock.MaxTicks);
            }
        }

        // While a stream is active, an event is released only once every active stream is strictly past it (less the
        // lateness): a stream may still deliver more events at the same event time, and ties are ordered by stream and
        // offset, which must all be in the queue. When every stream is idle, everything up to the newest time goes.
        if (anyActive)
        {
            return slowest == long.MinValue ? long.MinValue : slowest - _latenessTicks - 1;
        }

        return newest == long.MinValue ? long.MinValue : newest - _latenessTicks;
    }

    private sealed class StreamClock
    {
        public long MaxTicks { get; set; } = long.MinValue;

        public bool Idle { get; set; }
    }
}

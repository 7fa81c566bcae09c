using System.Runtime.InteropServices;
using System.Text.Json;
using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Webhooks.Outbox;

/// <summary>
/// The journal format: one JSON object per line, <c>type</c> one of <c>header</c> (next sequence number),
/// <c>incident</c> (what a receiver was given per dedup key), <c>accept</c> (a delivery with the anomaly JSON embedded
/// as is) and <c>ack</c> (a delivery left the outbox). A line without its newline is a torn write and is ignored.
/// </summary>
internal sealed partial class AlertOutbox
{
    private const int FormatVersion = 1;

    private void WriteHeader()
    {
        BeginRecord("header");
        _writer.WriteNumber("version", FormatVersion);
        _writer.WriteNumber("next_sequence", _nextSequence);
        EndRecord();
    }

    private void WriteIncident(string receiver, string dedupKey, IncidentTable.IncidentSnapshot snapshot)
    {
        BeginRecord("incident");
        _writer.WriteString("receiver", receiver);
        _writer.WriteString("dedup_key", dedupKey);
        _writer.WriteBoolean("open", snapshot.Open);
        _writer.WriteString("severity", snapshot.Severity.ToWireName());
        _writer.WriteNumber("sequence", snapshot.Sequence);
        _writer.WriteNumber("last_at", snapshot.LastAt.ToUnixTimeMilliseconds());
        _writer.WriteStartArray("recent_ids");
        foreach (var id in snapshot.RecentIds)
        {
            _writer.WriteStringValue(id);
        }

        _writer.WriteEndArray();
        EndRecord();
    }

    private void WriteAccept(OutboxEntry entry)
    {
        BeginRecord("accept");
        _writer.WriteNumber("sequence", entry.Sequence);
        _writer.WriteString("receiver", entry.Receiver);
        _writer.WriteNumber("accepted_at", entry.AcceptedAt.ToUnixTimeMilliseconds());
        if (entry.PreviousSeverity is { } previous)
        {
            _writer.WriteString("previous_severity", previous.ToWireName());
        }

        _writer.WritePropertyName("anomaly");
        _writer.WriteRawValue(entry.Content.Json.Span, skipInputValidation: true);
        EndRecord();
    }

    private void WriteAck(long sequence, DeliveryOutcome outcome)
    {
        BeginRecord("ack");
        _writer.WriteNumber("sequence", sequence);
        _writer.WriteString("outcome", outcome switch
        {
            DeliveryOutcome.Delivered => "delivered",
            DeliveryOutcome.Superseded => "superseded",
            _ => "dead_lettered",
        });
        EndRecord();
    }

    private void BeginRecord(string type)
    {
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("type", type);
    }

    private void EndRecord()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    /// <summary>Rebuilds the pending deliveries and incidents from the journal's bytes.</summary>
    private void Replay(byte[] data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var length = data.AsSpan(offset).IndexOf((byte)'\n');
            if (length < 0)
            {
                _logger.OutboxTornWrite(data.Length - offset);
                return;
            }

            if (length > 0 && !TryReplayRecord(data.AsMemory(offset, length)))
            {
                _logger.OutboxRecordSkipped(offset);
            }

            offset += length + 1;
        }
    }

    private bool TryReplayRecord(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var record = document.RootElement;
            switch (record.GetProperty("type").GetString())
            {
                case "header":
                    _nextSequence = Math.Max(_nextSequence, record.GetProperty("next_sequence").GetInt64());
                    return true;
                case "incident":
                    _incidents.Restore(
                        record.GetProperty("receiver").GetString()!,
                        record.GetProperty("dedup_key").GetString()!,
                        new IncidentTable.IncidentSnapshot(
                            record.GetProperty("open").GetBoolean(),
                            AlertContent.ParseSeverity(record.GetProperty("severity").GetString()),
                            record.GetProperty("sequence").GetInt64(),
                            DateTimeOffset.FromUnixTimeMilliseconds(record.GetProperty("last_at").GetInt64()),
                            record.GetProperty("recent_ids").EnumerateArray().Select(e => e.GetString()!).ToArray()));
                    return true;
                case "accept":
                    var entry = new OutboxEntry(
                        record.GetProperty("sequence").GetInt64(),
                        record.GetProperty("receiver").GetString()!,
                        DateTimeOffset.FromUnixTimeMilliseconds(record.GetProperty("accepted_at").GetInt64()),
                        AlertContent.Parse(JsonMarshal.GetRawUtf8Value(record.GetProperty("anomaly")).ToArray()),
                        record.TryGetProperty("previous_severity", out var previous) ? AlertContent.ParseSeverity(previous.GetString()) : null);
                    _pending[entry.Sequence] = entry;
                    _incidents.Apply(entry);
                    _nextSequence = Math.Max(_nextSequence, entry.Sequence + 1);
                    return true;
                case "ack":
                    var sequence = record.GetProperty("sequence").GetInt64();
                    if (_pending.Remove(sequence, out var done) && record.GetProperty("outcome").GetString() == "dead_lettered")
                    {
                        _incidents.OnDeadLettered(done);
                    }

                    return true;
                default:
                    return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}

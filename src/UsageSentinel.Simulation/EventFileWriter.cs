using System.Buffers;

namespace UsageSentinel.Simulation;

/// <summary>Writes simulated events as a replay file (shared/EVENTS.md): newline-delimited JSON, one event a line.</summary>
public static class EventFileWriter
{
    private const int ChunkSize = 1 << 16;

    /// <summary>Writes each event's JSON followed by a line feed, in the order given.</summary>
    /// <param name="stream">The destination; flushed and left open.</param>
    /// <param name="events">The events.</param>
    public static void WriteNdjson(Stream stream, IEnumerable<SimulatedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int used = 0;
            foreach (SimulatedEvent simulated in events)
            {
                byte[] json = simulated.Utf8Json;
                if (used + json.Length + 1 > chunk.Length)
                {
                    stream.Write(chunk, 0, used);
                    used = 0;
                }

                if (json.Length + 1 > chunk.Length)
                {
                    stream.Write(json);
                    stream.WriteByte((byte)'\n');
                    continue;
                }

                json.CopyTo(chunk, used);
                used += json.Length;
                chunk[used++] = (byte)'\n';
            }

            stream.Write(chunk, 0, used);
            stream.Flush();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}

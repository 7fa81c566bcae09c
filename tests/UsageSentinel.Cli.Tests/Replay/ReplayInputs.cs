using UsageSentinel.Simulation;

namespace UsageSentinel.Cli.Tests.Replay;

/// <summary>Simulated inputs the replay tests share, each simulated once per test run.</summary>
internal static class ReplayInputs
{
    /// <summary>
    /// 1,000 benign accounts and the default scenarios over 10 days (seed 11, ~76,000 events): far more events than a
    /// hand-off holds, every detector raises, and one linked_accounts group spans accounts of different loops.
    /// </summary>
    public static byte[] Population { get; } = Simulate(seed: 11, accounts: 1_000, days: 10);

    /// <summary>Simulates a seeded population as NDJSON.</summary>
    public static byte[] Simulate(int seed, int accounts, int days)
    {
        using var stream = new MemoryStream();
        EventFileWriter.WriteNdjson(stream, new PopulationSimulator(new SimulationOptions { Seed = seed, Accounts = accounts, Duration = TimeSpan.FromDays(days) }).Generate());
        return stream.ToArray();
    }
}

/// <summary>Reads from bytes in chunks of at most 64 KiB; <see cref="BeforeRead"/> runs before each read.</summary>
internal abstract class ChunkedReadStream(byte[] data) : Stream
{
    private int _position;

    /// <summary>Gets how many reads were asked for.</summary>
    public int Reads { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        BeforeRead(++Reads);
        var n = Math.Min(Math.Min(count, 64 * 1024), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
        _position += n;
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Runs before read number <paramref name="read"/> (1-based).</summary>
    protected abstract void BeforeRead(int read);
}

using System.Buffers;
using System.Text;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.Cli.Tests.Replay;

// ReplayRunner lives in the Worker, which has no test project of its own; the replay verb's tests are here.
public sealed class ReplayRunnerTests
{
    private static readonly byte[] Events = ReplayInputs.Population;

    private static ReplayRunner CreateSut(int loops = 1) => new(new DetectionOptions(), GpuCatalog.Default, loops: loops);

    [Fact]
    public void Run_ManyBatches_WritesExactlyWhatDetectFindsInFileOrder()
    {
        // Far more events than the reading stage can hand over at once, plus lines the parser rejects.
        var lines = Encoding.UTF8.GetString(Events).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBeGreaterThan(10_000);
        var withBadLines = string.Join('\n', lines.Select((l, i) => i % 997 == 5 ? "{ nope\n" + l : l)) + "\n";
        using var output = new MemoryStream();

        var summary = CreateSut().Run(new MemoryStream(Encoding.UTF8.GetBytes(withBadLines)), output, null, null, CancellationToken.None);

        var expected = new ArrayBufferWriter<byte>();
        var detected = CreateSut().Detect(lines.Select(Encoding.UTF8.GetBytes));
        foreach (var anomaly in detected.Anomalies)
        {
            AnomalyJson.Write(expected, anomaly);
            expected.Write("\n"u8);
        }

        detected.Anomalies.Count.ShouldBeGreaterThan(0);
        output.ToArray().ShouldBe(expected.WrittenSpan.ToArray());
        summary.Anomalies.ShouldBe(detected.Anomalies.Count);
        summary.Processed.ShouldBe(lines.Length);
        summary.DeadLetters["malformed_json"].ShouldBe(lines.Length / 997 + (lines.Length % 997 > 5 ? 1 : 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_InputFailsMidway_ThrowsTheInputsException(int loops)
    {
        using var output = new MemoryStream();

        Should.Throw<IOException>(() => CreateSut(loops).Run(new FailingStream(Events, failAfterReads: 3), output, null, null, CancellationToken.None))
            .Message.ShouldBe("disk gone");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_OutputFails_ThrowsTheOutputsExceptionFromTheDetectionStage(int loops)
    {
        Should.Throw<IOException>(() => CreateSut(loops).Run(new MemoryStream(Events), new FailingStream([], failAfterReads: 0), null, null, CancellationToken.None))
            .Message.ShouldBe("disk gone");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_Cancelled_ThrowsOperationCanceled(int loops)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Should.Throw<OperationCanceledException>(() => CreateSut(loops).Run(new MemoryStream(Events), new MemoryStream(), null, null, cancelled.Token));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_CancelledMidway_StopsEveryThreadAndThrowsOperationCanceled(int loops)
    {
        // The token is cancelled from the reading thread halfway through the input, while the detection threads are busy (or
        // waiting for each other): the replay must end, not hang.
        using var cancellation = new CancellationTokenSource();
        var input = new CancellingStream(Events, cancellation, cancelAfterReads: 200);

        Should.Throw<OperationCanceledException>(() => CreateSut(loops).Run(input, new MemoryStream(), null, null, cancellation.Token));
        input.Reads.ShouldBeGreaterThanOrEqualTo(200);
    }

    /// <summary>Cancels a token at one read.</summary>
    private sealed class CancellingStream(byte[] data, CancellationTokenSource cancellation, int cancelAfterReads) : ChunkedReadStream(data)
    {
        protected override void BeforeRead(int read)
        {
            if (read == cancelAfterReads)
            {
                cancellation.Cancel();
            }
        }
    }

    /// <summary>Fails every read after some, and every write.</summary>
    private sealed class FailingStream(byte[] data, int failAfterReads) : ChunkedReadStream(data)
    {
        public override bool CanWrite => true;

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk gone");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("disk gone");

        protected override void BeforeRead(int read)
        {
            if (read > failAfterReads)
            {
                throw new IOException("disk gone");
            }
        }
    }
}

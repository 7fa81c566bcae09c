namespace UsageSentinel.Cli.Commands;

/// <summary>How far the demo's producer got; written by the producer, read by the view.</summary>
internal sealed class ProduceProgress
{
    private long _produced;
    private long _eventTimeTicks;

    public long Produced
    {
        get => Interlocked.Read(ref _produced);
        set => Interlocked.Exchange(ref _produced, value);
    }

    public DateTimeOffset EventTime
    {
        get => new(Interlocked.Read(ref _eventTimeTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _eventTimeTicks, value.UtcTicks);
    }
}

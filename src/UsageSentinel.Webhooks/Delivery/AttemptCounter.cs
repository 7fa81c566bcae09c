namespace UsageSentinel.Webhooks.Delivery;

/// <summary>Counts the HTTP attempts of one send, retries included; carried in the request's options.</summary>
internal sealed class AttemptCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}

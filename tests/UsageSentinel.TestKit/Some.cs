namespace UsageSentinel.TestKit;

/// <summary>Unique throwaway values.</summary>
public static class Some
{
    private static int _counter;

    public static DateTimeOffset Epoch { get; } = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Id(string prefix = "id") => $"{prefix}-{Interlocked.Increment(ref _counter)}";

    public static string EventId() => Id("evt");

    public static string AccountId() => Id("acct");

    public static string InstanceId() => Id("i");
}

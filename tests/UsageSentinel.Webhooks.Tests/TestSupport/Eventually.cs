using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace UsageSentinel.Webhooks.Tests.TestSupport;

/// <summary>Waits for a condition with a deadline (never a fixed sleep), optionally driving a fake clock meanwhile.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Task TrueAsync(Func<bool> condition, string what, FakeTimeProvider? advance = null, TimeSpan? step = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, advance, step);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, FakeTimeProvider? advance = null, TimeSpan? step = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            advance?.Advance(step ?? TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }
    }
}

using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class LowPriorityThreadTests
{
    [Fact]
    public async Task Run_OnLinux_RunsTheWorkOnAThreadWithNiceTen()
    {
        Assert.True(OperatingSystem.IsLinux(), "the product runs on Linux; this test checks the Linux nice value");

        // Field 19 of /proc/thread-self/stat is the nice value; the command name (field 2) is in parentheses.
        var (stat, threadId, name) = await LowPriorityThread.Run(
            () => (File.ReadAllText("/proc/thread-self/stat"), Environment.CurrentManagedThreadId, Thread.CurrentThread.Name),
            "nice-test");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        fields[16].ShouldBe("10");
        name.ShouldBe("nice-test");
        threadId.ShouldNotBe(Environment.CurrentManagedThreadId);
    }

    [Fact]
    public async Task Run_WorkThrows_FaultsTheTask()
    {
        var run = LowPriorityThread.Run<int>(() => throw new InvalidOperationException("boom"), "throwing");

        (await Should.ThrowAsync<InvalidOperationException>(run)).Message.ShouldBe("boom");
    }
}

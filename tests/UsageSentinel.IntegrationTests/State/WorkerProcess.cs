using System.Collections.Concurrent;
using System.Diagnostics;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>
/// The built <c>usage-sentinel run</c> as a child process, so a test can kill it the hard way (SIGKILL: no shutdown,
/// no <c>Close()</c>, no final checkpoint). Output is kept for the failure message.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Gets the last lines the process wrote.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static WorkerProcess Start(string name, IEnumerable<string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "usage-sentinel.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "run", .. settings])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("USAGESENTINEL__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        return new WorkerProcess(Process.Start(start)!, name);
    }

    /// <summary>Kills the process with SIGKILL and waits until it is gone.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 20_000 && _output.TryDequeue(out _))
        {
        }
    }
}

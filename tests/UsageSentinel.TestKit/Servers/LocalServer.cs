using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UsageSentinel.TestKit.Servers;

/// <summary>
/// A real server process (victoria-metrics, influxd, prometheus-alertmanager, …) started by a test fixture on free
/// loopback ports, with its data in a temporary folder; <see cref="DisposeAsync"/> kills it and deletes the folder.
/// Readiness is waited on with a deadline, never a sleep. The packages are installed by <c>test.sh</c>.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Uri _readyUrl;
    private Process _process;

    private LocalServer(Process process, string dataDirectory, Uri readyUrl)
    {
        _process = process;
        DataDirectory = dataDirectory;
        _readyUrl = readyUrl;
    }

    /// <summary>Gets the server's temporary data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>Gets whether the process is still running.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Gets what the process wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Returns a free TCP port on 127.0.0.1.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="executable"/> and waits until <paramref name="readyUrl"/> answers 2xx.</summary>
    /// <param name="executable">The command, e.g. <c>victoria-metrics</c>; found on PATH.</param>
    /// <param name="arguments">Builds the arguments from the data folder.</param>
    /// <param name="readyUrl">A URL that answers 2xx once the server is ready.</param>
    /// <param name="timeout">How long to wait for readiness; 60 seconds by default.</param>
    /// <returns>The running server.</returns>
    public static async Task<LocalServer> StartAsync(
        string executable, Func<string, IEnumerable<string>> arguments, Uri readyUrl, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var data = Directory.CreateTempSubdirectory("usage-sentinel-" + Path.GetFileName(executable) + "-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = data,
        };
        foreach (var argument in arguments(data))
        {
            start.ArgumentList.Add(argument);
        }

        var server = new LocalServer(new Process { StartInfo = start }, data, readyUrl);
        server.Launch();
        try
        {
            await server.WaitReadyAsync(readyUrl, timeout ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Kills the process but keeps its data, as an outage; <see cref="RestartAsync"/> brings it back.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
    }

    /// <summary>Starts the process again with the same arguments and data, and waits until it is ready.</summary>
    /// <param name="timeout">How long to wait for readiness; 60 seconds by default.</param>
    /// <returns>A task that completes when the server is ready.</returns>
    public async Task RestartAsync(TimeSpan? timeout = null)
    {
        await StopAsync();
        var start = _process.StartInfo;
        _process.Dispose();
        _process = new Process { StartInfo = start };
        Launch();
        await WaitReadyAsync(_readyUrl, timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until <paramref name="url"/> answers 2xx, or fails with the server's output.</summary>
    /// <param name="url">The readiness URL.</param>
    /// <param name="timeout">The deadline.</param>
    /// <returns>A task that completes when the server is ready.</returns>
    public async Task WaitReadyAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{_process.StartInfo.FileName} exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{_process.StartInfo.FileName} was not ready at {url} within {timeout}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the process (and its children) and deletes the data folder.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temp folder is cleaned by the OS.
            }
        }
    }

    private void Launch()
    {
        var process = _process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{process.StartInfo.FileName} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}

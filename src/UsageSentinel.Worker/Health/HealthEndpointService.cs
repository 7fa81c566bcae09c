using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace UsageSentinel.Worker.Health;

/// <summary>
/// Serves <c>GET</c> and <c>HEAD</c> of <c>/health/live</c> and <c>/health/ready</c> over plain HTTP/1.1 on a socket:
/// no ASP.NET Core, so the image stays on the plain .NET runtime, and not <c>HttpListener</c>, whose managed Linux
/// version crashes the process when a client connects while it starts (dotnet/corefx#35191; a probe or a port scan
/// is enough). Each connection gets one answer and is closed; a few are answered at once, each within a deadline, so a
/// client that connects and sends nothing cannot hold the probes up. The socket is bound in <see cref="StartAsync"/>,
/// so a busy port fails the start.
/// </summary>
internal sealed class HealthEndpointService : BackgroundService
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The most connections answered at once; more wait in the listen backlog.</summary>
    private const int MaxConcurrent = 8;

    /// <summary>The longest request head read; probes send a few hundred bytes.</summary>
    private const int MaxRequestHead = 8 * 1024;

    private readonly HealthOptions _options;
    private readonly HealthCheckService _checks;
    private readonly IPipelineStatus _pipeline;
    private readonly ILogger<HealthEndpointService> _logger;
    private readonly string _prefix;
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly Lock _trackLock = new();
    private Socket? _listener;
    private HealthStatus? _lastLive;
    private HealthStatus? _lastReady;

    public HealthEndpointService(IOptions<HealthOptions> options, HealthCheckService checks, IPipelineStatus pipeline, ILogger<HealthEndpointService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _checks = checks;
        _pipeline = pipeline;
        _logger = logger;
        _prefix = HealthEndpoint.ListenPrefix(_options);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var endPoint = HealthEndpoint.ListenEndPoint(_options);
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endPoint);
            listener.Listen(64);
        }
        catch (SocketException ex)
        {
            _logger.HealthListenFailed(ex, _prefix);
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _logger.HealthListening(_prefix);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _listener?.Dispose();
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        var answering = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _slots.WaitAsync(stoppingToken);
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(stoppingToken);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }

                answering.RemoveAll(static t => t.IsCompleted);
                answering.Add(AnswerAsync(client, stoppingToken));
            }
        }
        catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        listener.Dispose(); // the port closes before the host's stop returns
        await Task.WhenAll(answering);
    }

    /// <summary>Reads one request from a connection, answers it and closes the connection; never throws.</summary>
    private async Task AnswerAsync(Socket client, CancellationToken stoppingToken)
    {
        try
        {
            using (client)
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                deadline.CancelAfter(RequestTimeout);
                if (await ReadRequestAsync(client, deadline.Token) is not { } request)
                {
                    return; // connected and closed, or sent no complete request head in time
                }

                var (status, headers, body) = await RespondAsync(request.Method, request.Path, deadline.Token);
                await SendAsync(client, status, headers, request.Method == "HEAD" ? ReadOnlyMemory<byte>.Empty : body, body.Length, deadline.Token);
                client.Shutdown(SocketShutdown.Both);
            }
        }
#pragma warning disable CA1031 // isolation boundary: one probe's connection; the next probe is answered anyway
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            _logger.HealthResponseFailed(ex);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Reads the request head (up to the blank line) and returns its method and path, or null.</summary>
    private static async Task<(string Method, string Path)?> ReadRequestAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHead];
        var filled = 0;
        try
        {
            while (filled < buffer.Length)
            {
                var read = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return null;
                }

                filled += read;
                if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    return ParseRequestLine(buffer.AsSpan(0, filled));
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null; // nothing complete before the deadline, or stopping
        }
        catch (SocketException)
        {
            return null; // reset by the client
        }

        return ParseRequestLine(buffer.AsSpan(0, filled));
    }

    /// <summary>Parses <c>METHOD target HTTP/1.x</c>; the path is the target without query, in origin or absolute form.</summary>
    internal static (string Method, string Path)? ParseRequestLine(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf("\r\n"u8);
        var line = Encoding.ASCII.GetString(end < 0 ? head : head[..end]);
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }

        var target = parts[1];
        if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            target = absolute.AbsolutePath;
        }

        var query = target.IndexOfAny(['?', '#']);
        return (parts[0], query < 0 ? target : target[..query]);
    }

    private async Task<(int Status, string Headers, ReadOnlyMemory<byte> Body)> RespondAsync(string method, string path, CancellationToken cancellationToken)
    {
        var tag = path.TrimEnd('/') switch
        {
            HealthConstants.LivePath => HealthConstants.LiveTag,
            HealthConstants.ReadyPath => HealthConstants.ReadyTag,
            _ => null,
        };
        if (tag is null)
        {
            return (404, string.Empty, ReadOnlyMemory<byte>.Empty);
        }

        if (method is not ("GET" or "HEAD"))
        {
            return (405, "Allow: GET, HEAD\r\n", ReadOnlyMemory<byte>.Empty);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        var report = await _checks.CheckHealthAsync(r => r.Tags.Contains(tag), timeout.Token);
        Track(tag, report);

        var body = new ArrayBufferWriter<byte>(256);
        HealthResponseWriter.Write(body, report, _pipeline.ConsumerLag);
        return (HealthResponseWriter.StatusCode(report.Status), "Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n", body.WrittenMemory);
    }

    private static async Task SendAsync(Socket client, int status, string headers, ReadOnlyMemory<byte> body, int contentLength, CancellationToken cancellationToken)
    {
        var reason = status switch
        {
            200 => "OK",
            404 => "Not Found",
            405 => "Method Not Allowed",
            _ => "Service Unavailable",
        };
        var head = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\n{headers}Content-Length: {contentLength}\r\nConnection: close\r\n\r\n"));
        await client.SendAsync(head, SocketFlags.None, cancellationToken);
        if (!body.IsEmpty)
        {
            await client.SendAsync(body, SocketFlags.None, cancellationToken);
        }
    }

    /// <summary>Logs changes of each probe's status (state changes, not every probe).</summary>
    private void Track(string tag, HealthReport report)
    {
        lock (_trackLock)
        {
            TrackLocked(tag, report);
        }
    }

    private void TrackLocked(string tag, HealthReport report)
    {
        ref var last = ref tag == HealthConstants.LiveTag ? ref _lastLive : ref _lastReady;
        if (last == report.Status)
        {
            return;
        }

        var first = last is null;
        last = report.Status;
        if (first && report.Status == HealthStatus.Healthy)
        {
            return;
        }

        var checks = string.Join("; ", report.Entries.Select(e => $"{e.Key} {e.Value.Status}"));
        var probe = tag == HealthConstants.LiveTag ? "Liveness" : "Readiness";
        if (report.Status == HealthStatus.Healthy)
        {
            _logger.HealthChanged(probe, report.Status.ToString(), checks);
        }
        else
        {
            _logger.HealthFailing(probe, report.Status.ToString(), checks);
        }
    }
}

using System.Buffers;
using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace UsageSentinel.Worker.Health;

/// <summary>
/// Serves <c>GET /health/live</c> and <c>GET /health/ready</c> with <see cref="HttpListener"/>: no ASP.NET Core, so the
/// image stays on the plain .NET runtime. Requests are answered one at a time; probes are rare and each answer is a
/// few lock-free reads. The listener is bound in <see cref="StartAsync"/>, so a busy port fails the start.
/// </summary>
internal sealed class HealthEndpointService : BackgroundService
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Starts tried before giving up, when clients connecting during the start make it fail.</summary>
    private const int StartAttempts = 5;

    private readonly HealthOptions _options;
    private readonly HealthCheckService _checks;
    private readonly IPipelineStatus _pipeline;
    private readonly ILogger<HealthEndpointService> _logger;
    private readonly string _prefix;
    private HttpListener? _listener;
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

        for (var attempt = 1; ; attempt++)
        {
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add(_prefix);
            try
            {
                listener.Start();
                _listener = listener;
                break;
            }
            catch (Exception ex) when (attempt < StartAttempts && (ex is ArgumentNullException || (attempt > 1 && ex is HttpListenerException)))
            {
                // The managed HttpListener on Linux fails Start when a client connects while it starts (a probe or a
                // port scan; dotnet/corefx#35191) and leaves its socket bound: collect that socket, then start again.
                // Not closed: closing a listener whose start failed binds the port once more to unregister it.
                _logger.HealthListenRetried(ex, _prefix, attempt);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
            catch (Exception ex) when (ex is HttpListenerException or ArgumentNullException)
            {
                _logger.HealthListenFailed(ex, _prefix);
                listener.Close();
                throw;
            }
        }

        _logger.HealthListening(_prefix);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _listener?.Close();
    }

    public override void Dispose()
    {
        _listener?.Close();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        // Close, not Stop: after a Stop, Close binds the port again to unregister the listener (and can hit the race below).
        await using var registration = stoppingToken.Register(static l => ((HttpListener)l!).Close(), listener);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            try
            {
                await RespondAsync(context, stoppingToken);
            }
#pragma warning disable CA1031 // isolation boundary: one probe's connection; the next probe is answered anyway
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                _logger.HealthResponseFailed(ex);
                context.Response.Abort();
            }
        }
    }

    private async Task RespondAsync(HttpListenerContext context, CancellationToken stoppingToken)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url?.AbsolutePath.TrimEnd('/') ?? string.Empty;
        var tag = path switch
        {
            HealthConstants.LivePath => HealthConstants.LiveTag,
            HealthConstants.ReadyPath => HealthConstants.ReadyTag,
            _ => null,
        };
        if (tag is null)
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        if (request.HttpMethod is not ("GET" or "HEAD"))
        {
            response.StatusCode = 405;
            response.AddHeader("Allow", "GET, HEAD");
            response.Close();
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(CheckTimeout);
        var report = await _checks.CheckHealthAsync(r => r.Tags.Contains(tag), timeout.Token);
        Track(tag, report);

        var body = new ArrayBufferWriter<byte>(256);
        HealthResponseWriter.Write(body, report, _pipeline.ConsumerLag);
        response.StatusCode = HealthResponseWriter.StatusCode(report.Status);
        response.ContentType = "application/json; charset=utf-8";
        response.Headers["Cache-Control"] = "no-store";
        response.ContentLength64 = body.WrittenCount;
        if (request.HttpMethod == "GET")
        {
            await response.OutputStream.WriteAsync(body.WrittenMemory, stoppingToken);
        }

        response.Close();
    }

    /// <summary>Logs changes of each probe's status (state changes, not every probe).</summary>
    private void Track(string tag, HealthReport report)
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

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace UsageSentinel.TestKit.Servers;

/// <summary>A request the <see cref="RecordingHttpReceiver"/> received, and the status it answered.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Status)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// An HTTP/1.1 receiver on a free loopback port, for testing HTTP clients: records method, path, headers and body of
/// each request, answers with scripted statuses (503, 429 with Retry-After, 400, …) or a default, and can be stopped
/// (connections refused, an outage) and restarted on the same port. One request per connection.
/// </summary>
public sealed class RecordingHttpReceiver : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Queue<ScriptedResponse> _script = new();
    private ScriptedResponse _default = new(200, "ok", null);
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _acceptLoop;

    private RecordingHttpReceiver(int port) => Port = port;

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public bool IsRunning => _listener is not null;

    public static RecordingHttpReceiver Start()
    {
        var receiver = new RecordingHttpReceiver(LocalServer.FreePort());
        receiver.Restart();
        return receiver;
    }

    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    /// <summary>Sets the answer to every request not scripted with <see cref="Enqueue"/>.</summary>
    public void RespondWith(int status, string body = "", IReadOnlyDictionary<string, string>? headers = null)
    {
        lock (_gate)
        {
            _default = new ScriptedResponse(status, body, headers);
        }
    }

    /// <summary>Answers the next requests with these, in order, before falling back to the default.</summary>
    public void Enqueue(int status, string body = "", IReadOnlyDictionary<string, string>? headers = null)
    {
        lock (_gate)
        {
            _script.Enqueue(new ScriptedResponse(status, body, headers));
        }
    }

    /// <summary>Stops listening and drops open connections: clients get connection refused.</summary>
    public async Task StopAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _stop!.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop!;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _listener.Dispose();
        _listener = null;
        _stop.Dispose();
    }

    /// <summary>Listens (again) on <see cref="Port"/>.</summary>
    public void Restart()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _stop = new CancellationTokenSource();
        _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were recorded, or fails with what was.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            var requests = Requests;
            if (requests.Count >= count)
            {
                return requests;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} requests, got {requests.Count}: {string.Join(", ", requests.Select(r => $"{r.Method} {r.Path} -> {r.Status}"))}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, cancellationToken);
                if (request is null)
                {
                    return;
                }

                ScriptedResponse response;
                lock (_gate)
                {
                    response = _script.Count > 0 ? _script.Dequeue() : _default;
                    _requests.Add(request with { Status = response.Status });
                }

                await stream.WriteAsync(response.ToBytes(), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the receiver stopped.
            }
        }
    }

    private static async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>(4096);
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString(buffer.ToArray(), 0, headerEnd).Split("\r\n");
        var requestLine = head[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? $"{existing}, {value}" : value;
        }

        var length = headers.TryGetValue("Content-Length", out var declared) ? int.Parse(declared, CultureInfo.InvariantCulture) : 0;
        var body = buffer.Skip(headerEnd + 4).ToList();
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            body.AddRange(chunk.AsSpan(0, read));
        }

        return new RecordedRequest(requestLine[0], requestLine[1], headers, [.. body.Take(length)], 0);
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 3; i < buffer.Count; i++)
        {
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n')
            {
                return i - 3;
            }
        }

        return -1;
    }

    private sealed record ScriptedResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers)
    {
        public byte[] ToBytes()
        {
            var body = Encoding.UTF8.GetBytes(Body);
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {Status} {ReasonPhrase(Status)}\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
            text.Append("Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n");
            foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }

            text.Append("\r\n");
            return [.. Encoding.ASCII.GetBytes(text.ToString()), .. body];
        }

        private static string ReasonPhrase(int status) => Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "Status";
    }
}

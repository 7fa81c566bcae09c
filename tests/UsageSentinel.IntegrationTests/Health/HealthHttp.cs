using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace UsageSentinel.IntegrationTests.Health;

/// <summary>Probes a health endpoint the way Kubernetes does: one GET, status code and JSON body.</summary>
internal static class HealthHttp
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(int port, string path)
    {
        using var response = await Client.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public static async Task<HttpStatusCode> SendAsync(int port, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri($"http://127.0.0.1:{port}{path}"));
        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Polls until the endpoint answers <paramref name="expected"/>, with a deadline; refused connections count as not yet.</summary>
    public static async Task<JsonElement> UntilAsync(int port, string path, HttpStatusCode expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (true)
        {
            try
            {
                var (status, body) = await GetAsync(port, path);
                if (status == expected)
                {
                    return body;
                }

                last = $"{(int)status} {body}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {path} to answer {(int)expected}; last: {last}.");
            }

            await Task.Delay(50);
        }
    }

    public static bool IsClosed(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}

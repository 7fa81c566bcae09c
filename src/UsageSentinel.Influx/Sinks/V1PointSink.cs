using System.Net.Http.Headers;
using System.Text;
using InfluxDB.Client.Writes;
using UsageSentinel.Influx.Configuration;

namespace UsageSentinel.Influx.Sinks;

/// <summary>
/// Writes to InfluxDB 1.x, including servers older than 1.8 that have no <c>/api/v2/write</c>: the same
/// <see cref="PointData"/> as V2, as line protocol posted to <c>/write?db=…&amp;rp=…&amp;precision=ns</c>.
/// </summary>
internal sealed class V1PointSink : IPointSink, IDisposable
{
    private const int MaxReasonLength = 300;
    private readonly HttpClient _http;
    private readonly Uri _writeUri;
    private readonly StringBuilder _body = new();

    public V1PointSink(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = options.Timeout,
        };
        if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.Password));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        var query = new StringBuilder("write?db=").Append(Uri.EscapeDataString(options.Database));
        if (!string.IsNullOrEmpty(options.RetentionPolicy))
        {
            query.Append("&rp=").Append(Uri.EscapeDataString(options.RetentionPolicy));
        }

        query.Append("&precision=ns");
        _writeUri = new Uri(new Uri(options.Url.TrimEnd('/') + "/"), query.ToString());
        Target = $"{options.Url} (database {options.Database})";
    }

    public string Target { get; }

    public async Task<WriteOutcome> WriteAsync(List<PointData> batch, CancellationToken cancellationToken)
    {
        _body.Clear();
        foreach (var point in batch)
        {
            _body.Append(point.ToLineProtocol()).Append('\n');
        }

        try
        {
            using var content = new StringContent(_body.ToString(), Encoding.UTF8, "text/plain");
            using var response = await _http.PostAsync(_writeUri, content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return WriteOutcome.Written;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return WriteOutcome.ForStatus((int)response.StatusCode, text.Length > MaxReasonLength ? text[..MaxReasonLength] : text.Trim());
        }
        catch (HttpRequestException ex)
        {
            return WriteOutcome.Failed(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WriteOutcome.Failed("timed out");
        }
    }

    public void Dispose() => _http.Dispose();
}

using System.Globalization;

namespace UsageSentinel.TestKit.Servers;

/// <summary>Starts a real Debian <c>prometheus-alertmanager</c> with a null receiver and no clustering.</summary>
public static class Alertmanager
{
    private const string Config = """
        route:
          receiver: "null"
        receivers:
          - name: "null"
        """;

    /// <summary>Starts Alertmanager on 127.0.0.1:<paramref name="port"/>, ready on <c>/-/ready</c>.</summary>
    /// <param name="port">The HTTP port.</param>
    /// <returns>The running server.</returns>
    public static Task<LocalServer> StartAsync(int port)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        return LocalServer.StartAsync(
            "prometheus-alertmanager",
            data =>
            {
                var config = Path.Combine(data, "am.yml");
                File.WriteAllText(config, Config);
                return [$"--config.file={config}", $"--storage.path={data}", $"--web.listen-address=127.0.0.1:{text}", "--cluster.listen-address="];
            },
            new Uri($"http://127.0.0.1:{text}/-/ready"));
    }
}

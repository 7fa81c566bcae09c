using System.Globalization;
using UsageSentinel.TestKit.Servers;

namespace UsageSentinel.Webhooks.Tests.TestSupport;

/// <summary>A real Prometheus Alertmanager on a free loopback port with a null receiver, shared by the collection.</summary>
public sealed class AlertmanagerFixture : IAsyncLifetime
{
    private LocalServer? _server;

    public Uri BaseUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = LocalServer.FreePort().ToString(CultureInfo.InvariantCulture);
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _server = await Alertmanager.StartAsync(int.Parse(port, CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AlertmanagerCollection : ICollectionFixture<AlertmanagerFixture>
{
    public const string Name = "Alertmanager";
}

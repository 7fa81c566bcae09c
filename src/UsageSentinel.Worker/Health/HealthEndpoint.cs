using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace UsageSentinel.Worker.Health;

/// <summary>Where the endpoints listen, and where a local probe reaches them.</summary>
public static class HealthEndpoint
{
    /// <summary>Gets where the endpoints listen as a URL prefix, for the log, e.g. <c>http://+:8080/</c> (<c>+</c>: every interface).</summary>
    /// <param name="options">The health options.</param>
    /// <returns>The prefix.</returns>
    public static string ListenPrefix(HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!TryGetListenHost(options.Address, out var host))
        {
            throw new ArgumentException($"Health:Address '{options.Address}' is not valid.", nameof(options));
        }

        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{options.Port}/");
    }

    /// <summary>Gets the socket address the endpoints bind: every IPv4 interface, the IPv4 loopback for <c>localhost</c>, or the IP address.</summary>
    /// <param name="options">The health options.</param>
    /// <returns>The end point.</returns>
    public static IPEndPoint ListenEndPoint(HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!TryGetListenHost(options.Address, out var host))
        {
            throw new ArgumentException($"Health:Address '{options.Address}' is not valid.", nameof(options));
        }

        var address = host switch
        {
            "+" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.Parse(host.Trim('[', ']')),
        };
        return new IPEndPoint(address, options.Port);
    }

    /// <summary>Gets the URI a probe on the same machine or container uses for <paramref name="path"/>.</summary>
    /// <param name="options">The health options.</param>
    /// <param name="path">A path such as <see cref="HealthConstants.LivePath"/>.</param>
    /// <returns>The URI, on 127.0.0.1 when the endpoints listen on every interface.</returns>
    public static Uri LocalUri(HealthOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!TryGetListenHost(options.Address, out var host))
        {
            throw new ArgumentException($"Health:Address '{options.Address}' is not valid.", nameof(options));
        }

        var probeHost = host == "+" ? "127.0.0.1" : host;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{probeHost}:{options.Port}{path}"));
    }

    /// <summary>Maps <see cref="HealthOptions.Address"/> to the host of a listen prefix.</summary>
    /// <param name="address">The configured address.</param>
    /// <param name="host">The prefix host: <c>+</c> for every interface, <c>localhost</c>, or the IP address.</param>
    /// <returns>Whether the address is valid.</returns>
    public static bool TryGetListenHost(string? address, [NotNullWhen(true)] out string? host)
    {
        host = null;
        var trimmed = address?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        if (trimmed is "*" or "+" or HealthConstants.AnyAddress)
        {
            // The strong wildcard: every IPv4 interface, whatever Host header the probe sends.
            host = "+";
            return true;
        }

        if (string.Equals(trimmed, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            host = "localhost";
            return true;
        }

        if (!IPAddress.TryParse(trimmed.Trim('[', ']'), out var ip))
        {
            return false;
        }

        host = ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        return true;
    }
}

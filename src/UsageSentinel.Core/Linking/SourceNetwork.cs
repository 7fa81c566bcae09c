using System.Net;
using System.Net.Sockets;

namespace UsageSentinel.Core.Linking;

/// <summary>The network of a source address: the /24 of an IPv4 address, the /48 of an IPv6 address.</summary>
public static class SourceNetwork
{
    /// <summary>Returns the network of <paramref name="address"/>, or the text itself when it is not an IP address.</summary>
    /// <param name="address">The address text.</param>
    /// <returns>E.g. <c>203.0.113.0/24</c>.</returns>
    public static string Of(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IPAddress.TryParse(address, out var ip))
        {
            return address;
        }

        var bytes = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24";
        }

        Array.Clear(bytes, 6, bytes.Length - 6);
        return $"{new IPAddress(bytes)}/48";
    }
}

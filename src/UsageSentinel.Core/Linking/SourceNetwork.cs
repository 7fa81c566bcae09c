using System.Net;
using System.Net.Sockets;

namespace UsageSentinel.Core.Linking;

/// <summary>The network of a source address: the /24 of an IPv4 address, the /48 of an IPv6 address.</summary>
public static class SourceNetwork
{
    /// <summary>The longest text <see cref="TryWrite"/> writes without allocating: a dotted-quad /24.</summary>
    public const int MaxFastLength = 15 + 5;

    /// <summary>Returns the network of <paramref name="address"/>, or the text itself when it is not an IP address.</summary>
    /// <param name="address">The address text.</param>
    /// <returns>E.g. <c>203.0.113.0/24</c>.</returns>
    public static string Of(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<char> network = stackalloc char[MaxFastLength];
        if (TryWrite(address, network, out var written))
        {
            return new string(network[..written]);
        }

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

    /// <summary>
    /// Writes the network of <paramref name="address"/> (the text <see cref="Of"/> returns) into
    /// <paramref name="destination"/> when the address is a plain dotted quad (four decimal parts of 0–255 without
    /// leading zeros, as addresses are logged): the common case, without allocating. Other forms (IPv6, or IPv4 in
    /// the short, octal or hexadecimal forms <see cref="IPAddress.TryParse(string, out IPAddress)"/> also accepts)
    /// return <see langword="false"/>; use <see cref="Of"/> for them.
    /// </summary>
    /// <param name="address">The address text.</param>
    /// <param name="destination">Receives the network; <see cref="MaxFastLength"/> characters are enough.</param>
    /// <param name="written">The characters written.</param>
    /// <returns>Whether the network was written.</returns>
    public static bool TryWrite(ReadOnlySpan<char> address, Span<char> destination, out int written)
    {
        written = 0;
        var prefixEnd = 0;
        var parts = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var value = 0;
            while (i < address.Length && char.IsAsciiDigit(address[i]) && i - start < 3)
            {
                value = (value * 10) + (address[i] - '0');
                i++;
            }

            var digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && address[start] == '0'))
            {
                return false;
            }

            parts++;
            if (parts == 3)
            {
                prefixEnd = i;
            }

            if (parts == 4)
            {
                break;
            }

            if (i >= address.Length || address[i] != '.')
            {
                return false;
            }

            i++;
        }

        if (i != address.Length || destination.Length < prefixEnd + 5)
        {
            return false;
        }

        address[..prefixEnd].CopyTo(destination);
        ".0/24".CopyTo(destination[prefixEnd..]);
        written = prefixEnd + 5;
        return true;
    }
}

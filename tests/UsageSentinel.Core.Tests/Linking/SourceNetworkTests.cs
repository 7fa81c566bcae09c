using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Xunit;
using UsageSentinel.Core.Linking;

namespace UsageSentinel.Core.Tests.Linking;

public class SourceNetworkTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("0.0.0.0", "0.0.0.0/24")]
    [InlineData("255.255.255.255", "255.255.255.0/24")]
    [InlineData("10.1.2.3", "10.1.2.0/24")]
    public void TryWrite_DottedQuad_WritesTheSlash24WithoutTheAddressParser(string address, string expected)
    {
        Span<char> network = stackalloc char[SourceNetwork.MaxFastLength];

        SourceNetwork.TryWrite(address, network, out var written).ShouldBeTrue();

        new string(network[..written]).ShouldBe(expected);
        SourceNetwork.Of(address).ShouldBe(expected);
    }

    [Theory]
    [InlineData("010.1.2.3")] // leading zero: octal to the address parser
    [InlineData("0x7f.0.0.1")]
    [InlineData("10.1")] // short form
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.2.3")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.")]
    [InlineData("")]
    [InlineData("2001:db8:abcd:12::1")]
    [InlineData("::ffff:1.2.3.4")]
    [InlineData("not-an-address")]
    [InlineData("1234.1.1.1")]
    public void Of_OtherForms_SameAsTheAddressParsersReading(string address)
    {
        Span<char> network = stackalloc char[SourceNetwork.MaxFastLength];

        SourceNetwork.TryWrite(address, network, out _).ShouldBeFalse();
        SourceNetwork.Of(address).ShouldBe(ByAddressParser(address));
    }

    [Property(Replay = "401,409", MaxTest = 500)]
    public void Of_AnyDottedQuad_SameAsTheAddressParsersReading(byte a, byte b, byte c, byte d)
    {
        var address = $"{a}.{b}.{c}.{d}";
        Span<char> network = stackalloc char[SourceNetwork.MaxFastLength];

        SourceNetwork.TryWrite(address, network, out var written).ShouldBeTrue();
        new string(network[..written]).ShouldBe(ByAddressParser(address));
    }

    [Property(Replay = "419,421", MaxTest = 500)]
    public void Of_AnyText_SameAsTheAddressParsersReading(NonNull<string> text)
    {
        // Whatever the fast path takes must read as the address parser reads it.
        SourceNetwork.Of(text.Get).ShouldBe(ByAddressParser(text.Get));
    }

    /// <summary>What <see cref="SourceNetwork.Of"/> returned before it had a fast path.</summary>
    private static string ByAddressParser(string address)
    {
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

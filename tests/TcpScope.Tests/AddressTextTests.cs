using System.Net;
using TcpScope.Decode;

namespace TcpScope.Tests;

public class AddressTextTests
{
    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fd00::2")]
    [InlineData("2001:db8::1:0:0:1")]
    [InlineData("2001:db8:0:1:1:1:1:1")]
    [InlineData("2001:db8:1234:5678:9abc:def0:1234:5678")]
    [InlineData("fe80::1:2")]
    [InlineData("1::")]
    [InlineData("::ffff:198.18.0.1")]
    [InlineData("2001:0:0:1::1")]
    public void Ipv6_text_matches_the_runtime_rfc5952_formatter(string address)
    {
        IPAddress ip = IPAddress.Parse(address);
        Assert.Equal(ip.ToString(), AddressText.ToString(AddressFamilyKind.IPv6, Events.Bytes(ip)));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("198.18.0.1")]
    [InlineData("255.255.255.255")]
    public void Ipv4_text_is_dotted_decimal(string address)
    {
        Assert.Equal(address, AddressText.ToString(AddressFamilyKind.IPv4, Events.Bytes(IPAddress.Parse(address))));
    }

    [Fact]
    public void Endpoints_bracket_ipv6()
    {
        Assert.Equal("[fd00::1]:80", AddressText.Endpoint(AddressFamilyKind.IPv6, Events.Bytes(IPAddress.Parse("fd00::1")), 80));
        Assert.Equal("198.18.0.1:80", AddressText.Endpoint(AddressFamilyKind.IPv4, Events.Bytes(IPAddress.Parse("198.18.0.1")), 80));
    }
}

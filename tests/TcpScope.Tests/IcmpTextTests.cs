using TcpScope.Decode;

namespace TcpScope.Tests;

public class IcmpTextTests
{
    [Theory]
    [InlineData(AddressFamilyKind.IPv4, 3, 3, 0u, "port unreachable")]                       // iptables REJECT's default
    [InlineData(AddressFamilyKind.IPv4, 3, 1, 0u, "host unreachable")]                       // a router without ARP answer
    [InlineData(AddressFamilyKind.IPv4, 3, 13, 0u, "communication administratively prohibited")] // --reject-with icmp-admin-prohibited
    [InlineData(AddressFamilyKind.IPv4, 3, 4, 1400u, "fragmentation needed (next-hop MTU 1400)")]
    [InlineData(AddressFamilyKind.IPv4, 3, 99, 0u, "destination unreachable (code 99)")]
    [InlineData(AddressFamilyKind.IPv4, 11, 0, 0u, "time to live exceeded in transit")]
    [InlineData(AddressFamilyKind.IPv4, 42, 1, 0u, "ICMP type 42 code 1")]
    [InlineData(AddressFamilyKind.IPv6, 1, 4, 0u, "port unreachable")]
    [InlineData(AddressFamilyKind.IPv6, 1, 1, 0u, "communication administratively prohibited")]
    [InlineData(AddressFamilyKind.IPv6, 1, 0, 0u, "no route to destination")]
    [InlineData(AddressFamilyKind.IPv6, 2, 0, 1280u, "packet too big (MTU 1280)")]
    [InlineData(AddressFamilyKind.IPv6, 3, 0, 0u, "hop limit exceeded in transit")]
    public void Messages_are_named_by_family_type_and_code(AddressFamilyKind family, byte type, byte code, uint info, string expected) =>
        Assert.Equal(expected, IcmpText.Describe(family, type, code, info));
}

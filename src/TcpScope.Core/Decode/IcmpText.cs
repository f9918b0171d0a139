namespace TcpScope.Decode;

/// <summary>Names of ICMP and ICMPv6 error messages (RFC 792, 1812, 4443), as a user would look them up.</summary>
public static class IcmpText
{
    private static readonly string[] Unreachable4 =
    [
        "network unreachable", "host unreachable", "protocol unreachable", "port unreachable",
        "fragmentation needed", "source route failed", "destination network unknown", "destination host unknown",
        "source host isolated", "network administratively prohibited", "host administratively prohibited",
        "network unreachable for TOS", "host unreachable for TOS", "communication administratively prohibited",
        "host precedence violation", "precedence cutoff in effect",
    ];

    private static readonly string[] Unreachable6 =
    [
        "no route to destination", "communication administratively prohibited", "beyond scope of source address",
        "address unreachable", "port unreachable", "source address failed ingress/egress policy",
        "reject route to destination",
    ];

    public static string Describe(AddressFamilyKind family, byte type, byte code, uint info) =>
        family == AddressFamilyKind.IPv6 ? Describe6(type, code, info) : Describe4(type, code, info);

    private static string Describe4(byte type, byte code, uint info) => type switch
    {
        3 when code == 4 => $"fragmentation needed (next-hop MTU {info})",
        3 when code < Unreachable4.Length => Unreachable4[code],
        3 => $"destination unreachable (code {code})",
        11 => code == 0 ? "time to live exceeded in transit" : "fragment reassembly time exceeded",
        12 => "parameter problem",
        4 => "source quench",
        _ => $"ICMP type {type} code {code}",
    };

    private static string Describe6(byte type, byte code, uint info) => type switch
    {
        1 when code < Unreachable6.Length => Unreachable6[code],
        1 => $"destination unreachable (code {code})",
        2 => $"packet too big (MTU {info})",
        3 => code == 0 ? "hop limit exceeded in transit" : "fragment reassembly time exceeded",
        4 => "parameter problem",
        _ => $"ICMPv6 type {type} code {code}",
    };
}

using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>
/// An ICMP error that arrived for a socket: what it said (<see cref="Type"/>, <see cref="Code"/>),
/// who sent it (<see cref="Offender"/>: the destination itself or a router on the way) and the
/// errno the kernel made of it, which is what the application reads from SO_ERROR.
/// </summary>
public readonly record struct IcmpError(
    long TimestampNs,
    uint NetNs,
    ulong Socket,
    TcpState State,
    AddressFamilyKind Family,
    AddressBytes Offender,
    byte Type,
    byte Code,
    int Error,
    uint Info)
{
    public string OffenderText => AddressText.ToString(Family, Offender);

    /// <summary>"port unreachable", "fragmentation needed (next-hop MTU 1400)"...</summary>
    public string Description => IcmpText.Describe(Family, Type, Code, Info);

    /// <summary>"ICMP port unreachable from 198.18.0.2".</summary>
    public string Text => $"{(Family == AddressFamilyKind.IPv6 ? "ICMPv6" : "ICMP")} {Description} from {OffenderText}";
}

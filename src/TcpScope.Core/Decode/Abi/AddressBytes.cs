using System.Runtime.CompilerServices;

namespace TcpScope.Decode.Abi;

/// <summary>__u8 addr[16]: an IPv6 address, or an IPv4 address in the first 4 bytes.</summary>
[InlineArray(16)]
public struct AddressBytes
{
    private byte first;
}

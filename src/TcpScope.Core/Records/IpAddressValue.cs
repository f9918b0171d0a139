using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Records;

/// <summary>An address as the kernel reports it (family and 16 bytes), written as text only when printed.</summary>
public readonly record struct IpAddressValue(AddressFamilyKind Family, AddressBytes Bytes)
{
    public int Format(Span<char> dest) => AddressText.Format(dest, Family, Bytes);

    public override string ToString() => AddressText.ToString(Family, Bytes);
}

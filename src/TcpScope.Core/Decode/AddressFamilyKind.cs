namespace TcpScope.Decode;

/// <summary>Address family of a socket, with the kernel's AF_* numbers.</summary>
public enum AddressFamilyKind : ushort
{
    Unspecified = 0,
    IPv4 = 2,
    IPv6 = 10,
}

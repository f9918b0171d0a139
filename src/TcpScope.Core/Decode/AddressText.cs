using System.Net;
using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>Formats addresses and endpoints of events into caller buffers.</summary>
public static class AddressText
{
    /// <summary>Longest text an address can take (an IPv6 address with an embedded IPv4 tail).</summary>
    public const int MaxLength = 45;

    public static int Format(Span<char> dest, AddressFamilyKind family, in AddressBytes address)
    {
        ReadOnlySpan<byte> b = address;
        if (family == AddressFamilyKind.IPv4)
        {
            int n = 0;
            for (int i = 0; i < 4; i++)
            {
                if (i > 0)
                {
                    dest[n++] = '.';
                }

                b[i].TryFormat(dest[n..], out int w);
                n += w;
            }

            return n;
        }

        // IPv6 events are the rarer kind; IPAddress gives RFC 5952 text at the price of one object
        return new IPAddress(b).TryFormat(dest, out int written) ? written : 0;
    }

    public static string ToString(AddressFamilyKind family, in AddressBytes address)
    {
        Span<char> buf = stackalloc char[MaxLength];
        return new string(buf[..Format(buf, family, address)]);
    }

    /// <summary>"198.18.0.2:8080" or "[fd00::2]:8080".</summary>
    public static string Endpoint(AddressFamilyKind family, in AddressBytes address, ushort port)
    {
        string a = ToString(family, address);
        return family == AddressFamilyKind.IPv6 ? $"[{a}]:{port}" : $"{a}:{port}";
    }
}

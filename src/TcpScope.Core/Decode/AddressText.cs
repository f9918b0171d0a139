using System.Globalization;
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

                b[i].TryFormat(dest[n..], out int w, default, CultureInfo.InvariantCulture);
                n += w;
            }

            return n;
        }

        return FormatIPv6(dest, b);
    }

    /// <summary>RFC 5952 text: lower-case hex, the longest run of two or more zero groups as "::", IPv4-mapped tails dotted.</summary>
    private static int FormatIPv6(Span<char> dest, ReadOnlySpan<byte> b)
    {
        Span<ushort> g = stackalloc ushort[8];
        for (int i = 0; i < 8; i++)
        {
            g[i] = (ushort)((b[2 * i] << 8) | b[(2 * i) + 1]);
        }

        bool mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        int groups = mapped ? 6 : 8;
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < groups;)
        {
            int j = i;
            while (j < groups && g[j] == 0)
            {
                j++;
            }

            if (j - i > bestLen)
            {
                (bestStart, bestLen) = (i, j - i);
            }

            i = j == i ? i + 1 : j;
        }

        int n = 0;
        for (int i = 0; i < groups; i++)
        {
            if (i == bestStart)
            {
                dest[n++] = ':';
                dest[n++] = ':';
                i += bestLen - 1;
                continue;
            }

            if (n > 0 && dest[n - 1] != ':')
            {
                dest[n++] = ':';
            }

            g[i].TryFormat(dest[n..], out int w, "x", CultureInfo.InvariantCulture);
            n += w;
        }

        if (mapped)
        {
            if (dest[n - 1] != ':')
            {
                dest[n++] = ':';
            }

            for (int i = 12; i < 16; i++)
            {
                if (i > 12)
                {
                    dest[n++] = '.';
                }

                b[i].TryFormat(dest[n..], out int w, default, CultureInfo.InvariantCulture);
                n += w;
            }
        }

        return n;
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

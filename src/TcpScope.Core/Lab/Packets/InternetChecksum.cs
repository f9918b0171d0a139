using System.Buffers.Binary;

namespace TcpScope.Lab.Packets;

/// <summary>The ones'-complement sum of RFC 1071, as IPv4 and TCP headers carry it.</summary>
public static class InternetChecksum
{
    /// <summary>Adds 16-bit big-endian words of <paramref name="data"/> to a running sum (odd tail padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        return sum;
    }

    /// <summary>Folds the carries and complements: the value to put in the checksum field.</summary>
    public static ushort Finish(uint sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    public static ushort Of(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>TCP checksum over the IPv4 pseudo-header (source, destination, protocol 6, TCP length) and the segment.</summary>
    public static ushort TcpOverIPv4(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> segment)
    {
        uint sum = Add(0, source);
        sum = Add(sum, destination);
        sum += 6;
        sum += (uint)segment.Length;
        return Finish(Add(sum, segment));
    }
}

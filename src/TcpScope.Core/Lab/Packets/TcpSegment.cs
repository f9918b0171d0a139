using System.Buffers.Binary;
using System.Net;

namespace TcpScope.Lab.Packets;

/// <summary>
/// An IPv4 packet carrying one TCP segment: what the lab crafts (SYNs from spoofed sources,
/// SYNs with chosen sequence numbers and timestamps) and what it reads back from a raw socket.
/// <see cref="Build"/> writes the IPv4 header (no options, DF) and the TCP header with options
/// in the order Linux sends them on a SYN (MSS, SACK permitted, timestamps, window scale), both
/// checksums filled in.
/// </summary>
public sealed record TcpSegment
{
    public required IPAddress Source { get; init; }

    public required IPAddress Destination { get; init; }

    public required ushort SourcePort { get; init; }

    public required ushort DestinationPort { get; init; }

    public uint Sequence { get; init; }

    public uint Acknowledgment { get; init; }

    public TcpFlags Flags { get; init; }

    public ushort Window { get; init; } = 64240;

    public ushort IpId { get; init; }

    public byte Ttl { get; init; } = 64;

    /// <summary>MSS option; null leaves it out.</summary>
    public ushort? Mss { get; init; }

    public bool SackPermitted { get; init; }

    /// <summary>Timestamps option (TSval, TSecr); null leaves it out.</summary>
    public (uint Value, uint Echo)? Timestamps { get; init; }

    /// <summary>Window scale option (shift count); null leaves it out.</summary>
    public byte? WindowScale { get; init; }

    public byte[] Payload { get; init; } = [];

    /// <summary>The whole IPv4 packet, checksums included.</summary>
    public byte[] Build()
    {
        byte[] options = Options();
        int tcpLength = 20 + options.Length + Payload.Length;
        var p = new byte[20 + tcpLength];
        Span<byte> ip = p.AsSpan(0, 20);
        ip[0] = 0x45; // version 4, 5 words
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)p.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], IpId);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF
        ip[8] = Ttl;
        ip[9] = 6;
        Source.TryWriteBytes(ip[12..], out _);
        Destination.TryWriteBytes(ip[16..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Of(ip));

        Span<byte> tcp = p.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], Acknowledgment);
        tcp[12] = (byte)(((20 + options.Length) / 4) << 4);
        tcp[13] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], Window);
        options.CopyTo(tcp[20..]);
        Payload.CopyTo(tcp[(20 + options.Length)..]);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.TcpOverIPv4(ip[12..16], ip[16..20], tcp));
        return p;
    }

    /// <summary>Reads an IPv4 packet holding a TCP segment (as a raw socket receives it), or null if it is not one.</summary>
    public static TcpSegment? Parse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 40 || packet[0] >> 4 != 4 || packet[9] != 6)
        {
            return null;
        }

        int ihl = (packet[0] & 0xf) * 4;
        ReadOnlySpan<byte> tcp = packet[ihl..];
        int dataOffset = (tcp[12] >> 4) * 4;
        if (tcp.Length < dataOffset || dataOffset < 20)
        {
            return null;
        }

        var segment = new TcpSegment
        {
            Source = new IPAddress(packet.Slice(12, 4)),
            Destination = new IPAddress(packet.Slice(16, 4)),
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(tcp),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]),
            Sequence = BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]),
            Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]),
            Flags = (TcpFlags)tcp[13],
            Window = BinaryPrimitives.ReadUInt16BigEndian(tcp[14..]),
            IpId = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]),
            Ttl = packet[8],
            Payload = tcp[dataOffset..].ToArray(),
        };
        return WithOptions(segment, tcp[20..dataOffset]);
    }

    private static TcpSegment WithOptions(TcpSegment s, ReadOnlySpan<byte> o)
    {
        for (int i = 0; i < o.Length;)
        {
            byte kind = o[i];
            if (kind == 0)
            {
                break;
            }

            if (kind == 1)
            {
                i++;
                continue;
            }

            if (i + 1 >= o.Length || o[i + 1] < 2 || i + o[i + 1] > o.Length)
            {
                break;
            }

            ReadOnlySpan<byte> v = o.Slice(i + 2, o[i + 1] - 2);
            s = kind switch
            {
                2 when v.Length == 2 => s with { Mss = BinaryPrimitives.ReadUInt16BigEndian(v) },
                3 when v.Length == 1 => s with { WindowScale = v[0] },
                4 => s with { SackPermitted = true },
                8 when v.Length == 8 => s with { Timestamps = (BinaryPrimitives.ReadUInt32BigEndian(v), BinaryPrimitives.ReadUInt32BigEndian(v[4..])) },
                _ => s,
            };
            i += o[i + 1];
        }

        return s;
    }

    private byte[] Options()
    {
        var o = new List<byte>();
        if (Mss is ushort mss)
        {
            o.AddRange([2, 4, (byte)(mss >> 8), (byte)mss]);
        }

        if (SackPermitted && Timestamps is not null)
        {
            o.AddRange([4, 2]); // SACK permitted, then timestamps without padding: Linux's SYN layout
        }
        else if (SackPermitted)
        {
            o.AddRange([1, 1, 4, 2]);
        }

        if (Timestamps is (uint val, uint ecr))
        {
            if (!SackPermitted)
            {
                o.AddRange([1, 1]);
            }

            o.AddRange([8, 10, (byte)(val >> 24), (byte)(val >> 16), (byte)(val >> 8), (byte)val, (byte)(ecr >> 24), (byte)(ecr >> 16), (byte)(ecr >> 8), (byte)ecr]);
        }

        if (WindowScale is byte ws)
        {
            o.AddRange([1, 3, 3, ws]);
        }

        while (o.Count % 4 != 0)
        {
            o.Add(0);
        }

        return [.. o];
    }
}

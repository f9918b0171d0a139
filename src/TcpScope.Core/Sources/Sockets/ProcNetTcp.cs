using System.Globalization;
using System.Net;
using TcpScope.Decode;

namespace TcpScope.Sources.Sockets;

/// <summary>
/// Parses /proc/net/tcp and /proc/net/tcp6 (include/net/tcp.h's /proc format): one socket per
/// line, addresses as hex words in host order, state as the kernel's number. TIME_WAIT and
/// request sockets appear here too. Read through /proc/thread-self/net for the calling
/// thread's namespace.
/// </summary>
public static class ProcNetTcp
{
    public static IReadOnlyList<SocketEntry> ReadCurrentNamespace(KernelEnums enums) =>
        [.. Parse(File.ReadAllText("/proc/thread-self/net/tcp"), enums), .. Parse(File.ReadAllText("/proc/thread-self/net/tcp6"), enums)];

    public static IReadOnlyList<SocketEntry> Parse(string text, KernelEnums enums)
    {
        var list = new List<SocketEntry>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            list.Add(ParseLine(line, enums));
        }

        return list;
    }

    /// <summary>"   0: 0200A8C0:1F90 0100A8C0:A1B2 08 00000000:0000000B 00:00000000 00000000     0        0 25301 1 ..."</summary>
    public static SocketEntry ParseLine(string line, KernelEnums enums)
    {
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 10 || !f[0].EndsWith(':'))
        {
            throw new InvalidDataException($"not a /proc/net/tcp line: '{line}'");
        }

        string[] queues = f[4].Split(':');
        string[] timer = f[5].Split(':');
        return new SocketEntry(
            Endpoint(f[1]),
            Endpoint(f[2]),
            enums.TcpState(byte.Parse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
            Hex(queues[0]),
            Hex(queues[1]),
            byte.Parse(timer[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            Hex(timer[1]),
            uint.Parse(f[7], CultureInfo.InvariantCulture),
            ulong.Parse(f[9], CultureInfo.InvariantCulture));
    }

    private static uint Hex(string s) => uint.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>"0100007F:1F90" (IPv4) or 32 hex digits (IPv6): 32-bit words as the host stores them.</summary>
    private static IPEndPoint Endpoint(string s)
    {
        int colon = s.IndexOf(':');
        string addr = s[..colon];
        var bytes = new byte[addr.Length / 2];
        for (int w = 0; w < bytes.Length / 4; w++)
        {
            uint word = Hex(addr.Substring(w * 8, 8));
            if (BitConverter.IsLittleEndian)
            {
                word = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(word);
            }

            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(w * 4), word);
        }

        return new IPEndPoint(new IPAddress(bytes), (int)Hex(s[(colon + 1)..]));
    }
}

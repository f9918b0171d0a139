using System.Net;
using TcpScope.Decode;
using TcpScope.Interop;

namespace TcpScope.Sources.Sockets;

/// <summary>
/// Turns the bytes of a sock_diag TCP dump (SOCK_DIAG_BY_FAMILY replies, inet_diag_msg each)
/// into <see cref="SocketEntry"/>s: the entry and its endpoints are the only allocations.
/// </summary>
public static class SockDiagParser
{
    /// <summary>
    /// Adds the sockets of <paramref name="received"/> (one datagram or several concatenated) to
    /// <paramref name="into"/>; true once the dump's NLMSG_DONE was seen. An error the kernel
    /// answered throws <see cref="NetlinkException"/> with its errno.
    /// </summary>
    public static bool Parse(ReadOnlySpan<byte> received, KernelEnums enums, List<SocketEntry> into) =>
        Parse(received, enums, into, out _);

    /// <param name="interrupted">Set when the kernel flagged the dump as interrupted (the table changed while it was read).</param>
    public static bool Parse(ReadOnlySpan<byte> received, KernelEnums enums, List<SocketEntry> into, out bool interrupted)
    {
        var reader = new NetlinkMessageReader(received, "sock_diag dump");
        while (reader.TryNext(out ushort type, out ReadOnlySpan<byte> payload))
        {
            if (type != LibC.SOCK_DIAG_BY_FAMILY || !InetDiagMessage.TryRead(payload, out InetDiagMessage m))
            {
                continue;
            }

            TcpState state = enums.TcpState(m.State);
            into.Add(new SocketEntry(
                Endpoint(m.LocalAddress, m.LocalPort),
                Endpoint(m.RemoteAddress, m.RemotePort),
                state,
                state == TcpState.LISTEN ? 0 : m.SendQueue,
                m.ReceiveQueue,
                m.Timer,
                m.ExpiresMs,
                m.Uid,
                m.Inode)
            {
                AcceptQueueLimit = state == TcpState.LISTEN ? m.SendQueue : null,
                Cookie = m.Cookie,
            });
        }

        interrupted = reader.Interrupted;
        return reader.Done;
    }

    /// <summary>
    /// Gives each listener the number of request sockets (SYN_RECV) addressed to it: same port,
    /// and the same address or a wildcard listener ([::] also takes IPv4 requests unless a
    /// listener on 0.0.0.0 or the exact address does). Listeners of one SO_REUSEPORT group cannot
    /// be told apart by address: each shows the group's count.
    /// </summary>
    public static void CountHalfOpen(List<SocketEntry> sockets)
    {
        var listening = new HashSet<IPEndPoint>();
        foreach (SocketEntry s in sockets)
        {
            if (s.State == TcpState.LISTEN)
            {
                listening.Add(s.Local);
            }
        }

        if (listening.Count == 0)
        {
            return;
        }

        var counts = new Dictionary<IPEndPoint, int>();
        foreach (SocketEntry s in sockets)
        {
            if (s.State == TcpState.SYN_RECV && Listener(listening, s.Local) is IPEndPoint owner)
            {
                counts[owner] = counts.GetValueOrDefault(owner) + 1;
            }
        }

        for (int i = 0; i < sockets.Count && counts.Count > 0; i++)
        {
            if (sockets[i].State == TcpState.LISTEN && counts.TryGetValue(sockets[i].Local, out int n))
            {
                sockets[i] = sockets[i] with { HalfOpen = n };
            }
        }
    }

    private static IPEndPoint? Listener(HashSet<IPEndPoint> listening, IPEndPoint local)
    {
        if (listening.TryGetValue(local, out IPEndPoint? exact))
        {
            return exact;
        }

        if (local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && listening.TryGetValue(new IPEndPoint(IPAddress.Any, local.Port), out IPEndPoint? any4))
        {
            return any4;
        }

        return listening.TryGetValue(new IPEndPoint(IPAddress.IPv6Any, local.Port), out IPEndPoint? any6) ? any6 : null;
    }

    private static IPEndPoint Endpoint(ReadOnlySpan<byte> address, ushort port) =>
        new(address.Length == 4 ? new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(address)) : new IPAddress(address), port);
}

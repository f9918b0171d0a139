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
    /// <param name="sequence">The request's sequence number: replies to others are skipped; 0 takes all.</param>
    public static bool Parse(ReadOnlySpan<byte> received, KernelEnums enums, List<SocketEntry> into, out bool interrupted, uint sequence = 0)
    {
        var reader = new NetlinkMessageReader(received, "sock_diag dump", sequence);
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
    /// <param name="sockets">One namespace's sockets, from <paramref name="start"/> on (what one dump added).</param>
    /// <param name="start">Where that namespace's sockets begin in the list.</param>
    public static void CountHalfOpen(List<SocketEntry> sockets, int start = 0)
    {
        var listening = new HashSet<IPEndPoint>();
        for (int i = start; i < sockets.Count; i++)
        {
            if (sockets[i].State == TcpState.LISTEN)
            {
                listening.Add(sockets[i].Local);
            }
        }

        if (listening.Count == 0)
        {
            return;
        }

        var counts = new Dictionary<IPEndPoint, int>();
        for (int i = start; i < sockets.Count; i++)
        {
            if (sockets[i].State == TcpState.SYN_RECV && Listener(listening, sockets[i].Local) is IPEndPoint owner)
            {
                counts[owner] = counts.GetValueOrDefault(owner) + 1;
            }
        }

        for (int i = start; i < sockets.Count && counts.Count > 0; i++)
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

    private static IPEndPoint Endpoint(ReadOnlySpan<byte> address, ushort port) => new(Address(address), port);

    private const int CacheSlots = 1024;

    [ThreadStatic]
    private static AddressCache? cache;

    /// <summary>
    /// One IPAddress per distinct address, from a small direct-mapped cache: most sockets of a
    /// table share their listener's or their server's address, and the entries are kept, so
    /// this halves what a large dump leaves for the GC to copy. IPAddress is immutable for us
    /// (ScopeId is never set on these), so sharing it between entries is safe.
    /// </summary>
    private static IPAddress Address(ReadOnlySpan<byte> address)
    {
        cache ??= new AddressCache();
        UInt128 key = address.Length == 4
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(address)
            : System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(address);
        int slot = (int)((ulong)(key ^ (key >> 64)) * 0x9E3779B97F4A7C15UL >> 54) & (CacheSlots - 1);
        byte length = (byte)address.Length;
        if (cache.Values[slot] is IPAddress hit && cache.Keys[slot] == key && cache.Lengths[slot] == length)
        {
            return hit;
        }

        IPAddress made = address.Length == 4 ? new IPAddress((uint)key) : new IPAddress(address);
        cache.Keys[slot] = key;
        cache.Lengths[slot] = length;
        cache.Values[slot] = made;
        return made;
    }

    private sealed class AddressCache
    {
        public readonly UInt128[] Keys = new UInt128[CacheSlots];
        public readonly byte[] Lengths = new byte[CacheSlots];
        public readonly IPAddress?[] Values = new IPAddress?[CacheSlots];
    }
}

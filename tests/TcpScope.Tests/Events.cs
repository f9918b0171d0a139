using System.Net;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Tests;

/// <summary>Builds decoded events for tests, as the kernel would report them.</summary>
internal static class Events
{
    public const uint NetNs = 4026532177;

    public static StateChange State(
        long tsNs,
        ulong socket,
        TcpState from,
        TcpState to,
        string local = "198.18.0.2:8080",
        string remote = "198.18.0.1:41234",
        uint ownerPid = 4711,
        string ownerComm = "server",
        long deltaNs = -1,
        uint netns = NetNs)
    {
        IPEndPoint l = IPEndPoint.Parse(local);
        IPEndPoint r = IPEndPoint.Parse(remote);
        StateEventFlags flags = ownerPid != 0 ? StateEventFlags.OwnerKnown : StateEventFlags.None;
        if (deltaNs >= 0)
        {
            flags |= StateEventFlags.DeltaKnown;
        }

        return new StateChange(
            tsNs, netns, socket, TaskPid: 0, TaskComm: CommText.From("swapper/1"), ownerPid, CommText.From(ownerComm), flags,
            l.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressFamilyKind.IPv6 : AddressFamilyKind.IPv4,
            Bytes(l.Address), (ushort)l.Port, Bytes(r.Address), (ushort)r.Port, from, to, Math.Max(deltaNs, 0));
    }

    public static SocketEvent Sock(
        long tsNs,
        ulong socket,
        SocketEventKind kind,
        TcpState state,
        int value = 0,
        string local = "198.18.0.1:40170",
        string remote = "198.18.0.2:81",
        uint taskPid = 0,
        string taskComm = "swapper/1",
        uint netns = NetNs)
    {
        IPEndPoint l = IPEndPoint.Parse(local);
        IPEndPoint r = IPEndPoint.Parse(remote);
        return new SocketEvent(
            kind, tsNs, netns, socket, taskPid, CommText.From(taskComm), AddressFamilyKind.IPv4,
            Bytes(l.Address), (ushort)l.Port, Bytes(r.Address), (ushort)r.Port, state, value, 0);
    }

    /// <summary>An ICMP error as the kernel queues it: port unreachable (type 3 code 3, ECONNREFUSED) unless told.</summary>
    public static IcmpError Icmp(long tsNs, ulong socket, string from = "198.18.0.2", byte type = 3, byte code = 3, int error = 111, TcpState state = TcpState.SYN_SENT, uint netns = NetNs)
    {
        IPAddress a = IPAddress.Parse(from);
        return new IcmpError(
            tsNs, netns, socket, state,
            a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressFamilyKind.IPv6 : AddressFamilyKind.IPv4,
            Bytes(a), type, code, error, 0);
    }

    public static SocketTotals Totals(long tsNs, ulong socket, ulong acked, ulong received, TotalsFlags flags, uint netns = NetNs) =>
        new(tsNs, netns, socket, acked, received, 10, 10, 0, 50, flags);

    /// <summary>A drop (or reset) of a segment from <paramref name="source"/> to <paramref name="destination"/>; no socket unless a state is given.</summary>
    public static PacketDrop Drop(
        long tsNs,
        string reason,
        DropKind kind = DropKind.Drop,
        int reasonNumber = 3,
        string source = "198.18.0.1:41234",
        string destination = "198.18.0.2:8080",
        byte tcpFlags = 0x02,
        TcpState state = TcpState.Unknown,
        ulong socket = 0,
        uint ownerPid = 0,
        string ownerComm = "",
        DropEventFlags extra = DropEventFlags.None,
        uint netns = NetNs)
    {
        IPEndPoint s = IPEndPoint.Parse(source);
        IPEndPoint d = IPEndPoint.Parse(destination);
        DropEventFlags flags = DropEventFlags.Packet | extra
            | (state != TcpState.Unknown ? DropEventFlags.Socket : DropEventFlags.None)
            | (ownerPid != 0 ? DropEventFlags.OwnerKnown : DropEventFlags.None);
        return new PacketDrop(
            kind, tsNs, netns, 0, CommText.From("swapper/0"), reasonNumber, reason, kind == DropKind.Drop ? 0xffffffff81a00000 : 0, flags,
            socket, state,
            s.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressFamilyKind.IPv6 : AddressFamilyKind.IPv4,
            Bytes(s.Address), (ushort)s.Port, Bytes(d.Address), (ushort)d.Port, tcpFlags,
            Seq: 1000, Ack: 0, TsVal: 0, TsEcr: 0, Payload: 0, ownerPid, CommText.From(ownerComm),
            AckBacklog: 0, MaxAckBacklog: 0, SynQueueLength: 0, TwSubstate: TcpState.Unknown, TwRcvNxt: 0, TwSndNxt: 0, TwTsRecent: 0, TwTsRecentStamp: 0);
    }

    public static AddressBytes Bytes(IPAddress a)
    {
        var b = default(AddressBytes);
        a.TryWriteBytes(b, out _);
        return b;
    }
}

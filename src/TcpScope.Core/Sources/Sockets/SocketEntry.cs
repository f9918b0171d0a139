using System.Net;
using TcpScope.Decode;

namespace TcpScope.Sources.Sockets;

/// <summary>
/// One TCP socket of a socket table. For a listener <see cref="ReceiveQueue"/> is the accept
/// queue's length (connections waiting for accept()); /proc/net/tcp does not show its limit.
/// </summary>
public sealed record SocketEntry(
    IPEndPoint Local,
    IPEndPoint Remote,
    TcpState State,
    uint SendQueue,
    uint ReceiveQueue,
    byte Timer,
    uint TimerJiffies,
    uint Uid,
    ulong Inode)
{
    public override string ToString() =>
        State == TcpState.LISTEN
            ? $"LISTEN {Local}, {ReceiveQueue} connection(s) waiting for accept()"
            : $"{State} {Local} -> {Remote}{(SendQueue + ReceiveQueue > 0 ? $" (send-q {SendQueue}, recv-q {ReceiveQueue})" : "")}";
}

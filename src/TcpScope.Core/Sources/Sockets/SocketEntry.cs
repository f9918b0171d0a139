using System.Net;
using TcpScope.Decode;

namespace TcpScope.Sources.Sockets;

/// <summary>
/// One TCP socket of a socket table (sock_diag's inet_diag_msg). For a listener
/// <see cref="ReceiveQueue"/> is the accept queue's length (connections waiting for accept())
/// and <see cref="AcceptQueueLimit"/> its limit, the backlog in force (what `ss -ltn` shows as
/// Recv-Q and Send-Q). Request sockets (half-open, SYN received) are entries in SYN_RECV with
/// inode 0; each listener counts those addressed to it in <see cref="HalfOpen"/>.
/// </summary>
public sealed record SocketEntry(
    IPEndPoint Local,
    IPEndPoint Remote,
    TcpState State,
    uint SendQueue,
    uint ReceiveQueue,
    byte Timer,
    uint TimerExpiresMs,
    uint Uid,
    ulong Inode)
{
    /// <summary>A listener's accept-queue limit (the kernel's sk_max_ack_backlog); null for other sockets.</summary>
    public uint? AcceptQueueLimit { get; init; }

    /// <summary>A listener's request sockets (SYN received, handshake not complete): its SYN queue.</summary>
    public int HalfOpen { get; init; }

    /// <summary>The socket cookie (bpf_get_socket_cookie), stable for the socket's life.</summary>
    public ulong Cookie { get; init; }

    public override string ToString() =>
        State == TcpState.LISTEN ? ListenerText() : $"{State} {Local} -> {Remote}{(SendQueue + ReceiveQueue > 0 ? $" (send-q {SendQueue}, recv-q {ReceiveQueue})" : "")}";

    private string ListenerText()
    {
        // the kernel refuses a new connection once the queue holds more than the limit (sk_acceptq_is_full)
        string queue = AcceptQueueLimit is uint limit
            ? $"{ReceiveQueue} of {limit} waiting for accept(){(ReceiveQueue > limit ? " (full)" : "")}"
            : $"{ReceiveQueue} connection(s) waiting for accept()";
        return $"LISTEN {Local}, {queue}{(HalfOpen > 0 ? $", {HalfOpen} half-open" : "")}";
    }
}

namespace TcpScope.Decode;

/// <summary>What a <see cref="SocketEvent"/> reports (the non-state kinds of ts_event_kind).</summary>
public enum SocketEventKind
{
    /// <summary>A segment was retransmitted (in SYN_SENT: the SYN).</summary>
    Retransmit,

    /// <summary>An RST arrived and was accepted.</summary>
    ResetReceived,

    /// <summary>The socket sent an RST; <see cref="SocketEvent.Value"/> is the kernel's reason (-1: none).</summary>
    ResetSent,

    /// <summary>The kernel reported an error to the application; <see cref="SocketEvent.Value"/> is the errno.</summary>
    SocketError,

    /// <summary>accept() returned the socket to its process; <see cref="SocketEvent.Value"/> is the fd.</summary>
    Accept,

    /// <summary>connect() returned; <see cref="SocketEvent.Value"/> is 0 or -errno, <see cref="SocketEvent.Aux"/> the fd.</summary>
    ConnectReturn,

    /// <summary>
    /// An ICMP error arrived (its own record, <see cref="IcmpError"/>; named here for a
    /// connection's timeline, where the value is the errno the kernel made of it).
    /// </summary>
    IcmpError,

    /// <summary>A followed socket was destroyed whose CLOSE record was lost (always with <see cref="SocketEvent.AfterLoss"/>).</summary>
    Gone,
}

namespace TcpScope.Correlation;

/// <summary>How a connect attempt ended.</summary>
public enum ConnectOutcome
{
    /// <summary>The handshake completed (SYN_SENT -> ESTABLISHED).</summary>
    Established,

    /// <summary>The peer answered the SYN with an RST (ECONNREFUSED): nothing listens, or a firewall rejects with a reset.</summary>
    Refused,

    /// <summary>The kernel gave up after its SYN retransmits (ETIMEDOUT).</summary>
    TimedOut,

    /// <summary>The application closed the socket while the kernel was still trying (its own timeout); no error from the kernel.</summary>
    Aborted,

    /// <summary>An ICMP error came back instead of a SYN-ACK (no route, port or host unreachable, prohibited).</summary>
    Unreachable,

    /// <summary>
    /// The SYN was answered by an ACK that did not acknowledge it (a TIME_WAIT socket of an earlier
    /// connection with the same ports, typically behind NAT); the client reset and never got through.
    /// </summary>
    ResetAfterBadAck,

    /// <summary>
    /// Still in SYN_SENT when the trace ended: no answer yet, the kernel was retransmitting its SYN
    /// (a hang in the making); reported at the end so the attempt that matters is not missing.
    /// </summary>
    InProgress,
}

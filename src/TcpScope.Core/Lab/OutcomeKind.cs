namespace TcpScope.Lab;

/// <summary>How one client's connection attempt ended, as the application saw it.</summary>
public enum OutcomeKind
{
    /// <summary>connect() succeeded.</summary>
    Connected,

    /// <summary>ECONNREFUSED: a RST (or an ICMP port unreachable) answered the SYN.</summary>
    Refused,

    /// <summary>The application gave up waiting (its own timeout) while the socket was in SYN_SENT.</summary>
    TimedOut,

    /// <summary>ETIMEDOUT: the kernel gave up after its SYN retransmits.</summary>
    KernelTimedOut,

    /// <summary>ECONNRESET after the connection was established.</summary>
    Reset,

    /// <summary>EHOSTUNREACH / ENETUNREACH.</summary>
    Unreachable,

    /// <summary>Any other error.</summary>
    Error,
}

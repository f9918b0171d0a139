namespace TcpScope.Correlation;

/// <summary>How a connection's owner was learned, from the most to the least direct.</summary>
public enum OwnerSource : byte
{
    /// <summary>Not known: the socket predates the trace and its owner has made no syscall on it since.</summary>
    Unknown,

    /// <summary>The owner's own syscall on the socket (connect, close, shutdown).</summary>
    Syscall,

    /// <summary>accept() returned the socket to this process.</summary>
    Accept,

    /// <summary>Inherited from the listener; accept() has not (yet) named the real owner.</summary>
    Listener,
}

namespace TcpScope.Output;

/// <summary>The three lines of `tcpscope life`, with the letters bcc's tcptracer uses.</summary>
public enum LifeEventKind
{
    /// <summary>C: an active open completed.</summary>
    Connect,

    /// <summary>A: accept() returned the connection to its process.</summary>
    Accept,

    /// <summary>X: the socket closed.</summary>
    Close,
}

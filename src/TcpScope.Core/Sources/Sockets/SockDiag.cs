using TcpScope.Decode;

namespace TcpScope.Sources.Sockets;

/// <summary>One-off socket tables through sock_diag; a poller keeps a <see cref="SockDiagReader"/> instead.</summary>
public static class SockDiag
{
    /// <summary>Every TCP socket of the calling thread's network namespace, request sockets included.</summary>
    public static List<SocketEntry> ReadCurrentNamespace(KernelEnums enums)
    {
        using SockDiagReader reader = SockDiagReader.OpenCurrentNamespace();
        return reader.Read(enums);
    }

    /// <summary>Every TCP socket of another namespace (a name under /run/netns, or /proc/PID/ns/net).</summary>
    public static List<SocketEntry> ReadNamespace(string namespaceFile, KernelEnums enums)
    {
        using SockDiagReader reader = SockDiagReader.OpenNamespace(namespaceFile);
        return reader.Read(enums);
    }
}

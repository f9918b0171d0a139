using TcpScope.Sources.Sockets;

namespace TcpScope.Lab;

/// <summary>What one namespace of a scenario showed: counters that moved, and its sockets at the telling moment.</summary>
public sealed record NamespaceReport(
    string Role,
    string Name,
    uint Inode,
    IReadOnlyDictionary<string, long> CounterDeltas,
    IReadOnlyList<SocketEntry> Sockets);

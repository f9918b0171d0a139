namespace TcpScope.Records;

/// <summary>One namespace of a lab run: every counter that moved (nstat names) and the sockets at the telling moment.</summary>
public sealed record LabNamespaceRecord(string Role, string Name, uint Inode, IReadOnlyDictionary<string, long> CounterDeltas, IReadOnlyList<LabSocketRecord> Sockets);

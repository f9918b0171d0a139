namespace TcpScope.Sources;

/// <summary>What a source delivered: events decoded, and events lost before reaching us.</summary>
public readonly record struct SourceStats(long Events, ulong Lost, long Malformed);

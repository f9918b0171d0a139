using TcpScope.Correlation;

namespace TcpScope.Records;

/// <summary>The attempts to one destination (remote endpoint in a network namespace).</summary>
public sealed record DestinationRecord : AttemptStatsRecord
{
    public DestinationRecord(DestinationStats d)
        : base(d)
    {
        Remote = d.Remote;
        Netns = d.NetNs;
    }

    public string Remote { get; }

    public uint Netns { get; }
}

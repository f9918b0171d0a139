namespace TcpScope.Correlation;

/// <summary>The connect attempts to one destination (network namespace and remote endpoint).</summary>
public sealed class DestinationStats(uint netNs, string remote)
{
    private readonly long[] outcomes = new long[Enum.GetValues<ConnectOutcome>().Length];

    public uint NetNs { get; } = netNs;

    public string Remote { get; } = remote;

    public long Attempts { get; private set; }

    /// <summary>Attempts that ended without a connection (not those still in progress at the end).</summary>
    public long Failures => Attempts - Count(ConnectOutcome.Established) - Count(ConnectOutcome.InProgress);

    /// <summary>SYN retransmits over all attempts.</summary>
    public long SynRetransmits { get; private set; }

    /// <summary>Established attempts that needed at least one SYN retransmit.</summary>
    public long EstablishedAfterRetransmit { get; private set; }

    /// <summary>Handshake latencies of established attempts (percentiles within <see cref="LatencyHistogram.RelativeError"/>).</summary>
    public LatencyHistogram HandshakesNs { get; } = new();

    public long Count(ConnectOutcome o) => outcomes[(int)o];

    public void Add(ConnectAttempt a)
    {
        Attempts++;
        outcomes[(int)a.Outcome]++;
        SynRetransmits += a.SynRetransmitOffsetsNs.Count;
        if (a.HandshakeNs is not long h)
        {
            return;
        }

        if (a.SynRetransmitOffsetsNs.Count > 0)
        {
            EstablishedAfterRetransmit++;
        }

        HandshakesNs.Add(h);
    }
}

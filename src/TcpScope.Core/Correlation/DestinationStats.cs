namespace TcpScope.Correlation;

/// <summary>The connect attempts to one destination (network namespace and remote endpoint).</summary>
public sealed class DestinationStats(uint netNs, string remote)
{
    // enough for p99 to mean something; beyond it the earliest samples stand for the rest
    private const int MaxSamples = 100_000;

    private readonly int[] outcomes = new int[Enum.GetValues<ConnectOutcome>().Length];
    private readonly List<long> handshakes = [];
    private bool sorted = true;

    public uint NetNs { get; } = netNs;

    public string Remote { get; } = remote;

    public int Attempts { get; private set; }

    public int Failures => Attempts - Count(ConnectOutcome.Established);

    /// <summary>SYN retransmits over all attempts.</summary>
    public int SynRetransmits { get; private set; }

    /// <summary>Established attempts that needed at least one SYN retransmit.</summary>
    public int EstablishedAfterRetransmit { get; private set; }

    public int Count(ConnectOutcome o) => outcomes[(int)o];

    /// <summary>Handshake latencies of established attempts, ascending.</summary>
    public IReadOnlyList<long> HandshakesNs
    {
        get
        {
            if (!sorted)
            {
                handshakes.Sort();
                sorted = true;
            }

            return handshakes;
        }
    }

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

        if (handshakes.Count < MaxSamples)
        {
            handshakes.Add(h);
            sorted = false;
        }
    }
}

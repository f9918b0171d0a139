using TcpScope.Correlation;

namespace TcpScope.Diagnosis;

/// <summary>
/// Destinations whose established handshakes are slow: the 99th percentile of SYN -> ESTABLISHED
/// above a threshold. One finding per destination.
/// </summary>
public sealed class SlowHandshakeRule(TimeSpan threshold) : AttemptRule
{
    public const string RuleId = "TCP-SLOW-HANDSHAKE";
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromMilliseconds(500);

    private readonly long thresholdNs = (long)(threshold.TotalMilliseconds * 1_000_000);
    private readonly Dictionary<(uint NetNs, string Remote), Handshakes> byDestination = [];

    public SlowHandshakeRule()
        : this(DefaultThreshold)
    {
    }

    public override string Id => RuleId;

    public override IReadOnlyList<Finding> Evaluate(long monotonicNowNs)
    {
        var findings = new List<Finding>();
        foreach (((uint netns, string remote), Handshakes h) in byDestination.OrderBy(d => d.Key.Remote, StringComparer.Ordinal))
        {
            h.Latencies.Sort();
            if (Percentiles.Of(h.Latencies, 99) is long p99 && p99 > thresholdNs)
            {
                findings.Add(ToFinding(netns, remote, h, p99));
            }
        }

        return findings;
    }

    protected override void Observe(ConnectAttempt a)
    {
        if (a.HandshakeNs is not long ns)
        {
            return;
        }

        var key = (a.Connection.NetNs, a.Remote);
        if (!byDestination.TryGetValue(key, out Handshakes? h))
        {
            if (byDestination.Count >= MaxDestinations)
            {
                return;
            }

            byDestination[key] = h = new Handshakes();
        }

        h.Add(a, ns);
    }

    private Finding ToFinding(uint netns, string remote, Handshakes h, long p99)
    {
        long p50 = Percentiles.Of(h.Latencies, 50) ?? 0;
        var evidence = new List<string>
        {
            $"{h.Latencies.Count} established handshake(s): p50 {FindingNumbers.Ms(p50)}, p99 {FindingNumbers.Ms(p99)}, max {FindingNumbers.Ms(h.Latencies[^1])} (threshold {FindingNumbers.Ms(thresholdNs)})",
            $"{h.WithRetransmit} of them needed a SYN retransmit",
        };
        evidence.AddRange(h.Slowest.Select(a => $"{Who(a)}: {FindingNumbers.Ms(a.DurationNs)}, {Retransmits(a)}"));
        return new Finding(
            RuleId,
            Severity.Warning,
            $"connections to {remote} are slow to establish: p99 handshake {FindingNumbers.Ms(p99)}",
            $"{remote}, netns {netns}",
            evidence,
            "The time from the client's SYN to ESTABLISHED is one round trip when all goes well. A handshake that takes a "
            + "second or more almost always lost its SYN or the SYN-ACK and waited for the retransmit timer (1 s on Linux); "
            + "the usual causes are a listener whose accept or SYN queue overflows under bursts, packet loss on the path, "
            + "or a middlebox (NAT, conntrack) that drops the first packets of a flow. Without retransmits, the path itself is slow.",
            $"If handshakes needed SYN retransmits, check the server's queues (`ss -ltn`: Recv-Q against Send-Q; `nstat -az | grep -i listen`) "
            + "and raise the listen backlog or accept faster; check for loss on the path to {remote}. Otherwise measure the RTT (`ping`, `ss -ti`).");
    }

    private sealed class Handshakes
    {
        private const int MaxSamples = 100_000;

        public List<long> Latencies { get; } = [];

        public int WithRetransmit { get; private set; }

        public List<ConnectAttempt> Slowest { get; } = [];

        public void Add(ConnectAttempt a, long ns)
        {
            if (Latencies.Count < MaxSamples)
            {
                Latencies.Add(ns);
            }

            if (a.SynRetransmitOffsetsNs.Count > 0)
            {
                WithRetransmit++;
            }

            Slowest.Add(a);
            Slowest.Sort((x, y) => y.DurationNs.CompareTo(x.DurationNs));
            if (Slowest.Count > 3)
            {
                Slowest.RemoveAt(3);
            }
        }
    }
}

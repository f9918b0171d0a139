using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Destinations whose established handshakes are slow: the 99th percentile of SYN -> ESTABLISHED
/// above a threshold. One finding per destination.
/// </summary>
public sealed class SlowHandshakeRule(TimeSpan threshold) : AttemptRule
{
    public const string RuleId = "TCP-SLOW-HANDSHAKE";
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromMilliseconds(500);

    private const int SlowestShown = 3;

    private readonly long thresholdNs = (long)(threshold.TotalMilliseconds * 1_000_000);

    // per destination its latencies (a histogram) and its slowest attempts, copied out of their connections
    private readonly BoundedTable<(uint NetNs, string Remote), Destination> byDestination = new(MaxDestinations);

    public SlowHandshakeRule()
        : this(DefaultThreshold)
    {
    }

    public override string Id => RuleId;

    public override IEnumerable<Shortfall> Shortfalls =>
        TableShortfalls("slow_handshake", "the slow-handshake rule", byDestination.Expired, byDestination.Refused);

    public override IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        [.. byDestination.Values
            .Where(d => d.Stats.HandshakesNs.Percentile(99) > thresholdNs)
            .OrderBy(d => d.Stats.Remote, StringComparer.Ordinal)
            .Select(ToFinding)];

    protected override void Observe(ConnectAttempt a)
    {
        if (a.HandshakeNs is null
            || byDestination.GetOrAdd((a.Connection.NetNs, a.Remote), a.EndNs, static k => new Destination(new DestinationStats(k.NetNs, k.Remote))) is not { } d)
        {
            return;
        }

        d.Stats.Add(a);
        if (d.Slowest.Count == SlowestShown && a.DurationNs <= d.Slowest[^1].DurationNs)
        {
            return;
        }

        d.Slowest.Add(AttemptEvidence.Of(a));
        d.Slowest.Sort((x, y) => y.DurationNs.CompareTo(x.DurationNs));
        if (d.Slowest.Count > SlowestShown)
        {
            d.Slowest.RemoveAt(SlowestShown);
        }
    }

    private Finding ToFinding(Destination destination)
    {
        (DestinationStats d, List<AttemptEvidence> slowest) = (destination.Stats, destination.Slowest);
        LatencyHistogram h = d.HandshakesNs;
        long p50 = h.Percentile(50) ?? 0, p99 = h.Percentile(99) ?? 0;
        var evidence = new List<string>
        {
            $"{h.Count} established handshake(s): p50 {FindingNumbers.Ms(p50)}, p99 {FindingNumbers.Ms(p99)}, max {FindingNumbers.Ms(h.Max)} (threshold {FindingNumbers.Ms(thresholdNs)})",
            $"{d.EstablishedAfterRetransmit} of them needed a SYN retransmit",
        };
        evidence.AddRange(slowest.Select(a => $"{Who(a)}: {FindingNumbers.Ms(a.DurationNs)}, {Retransmits(a)}"));
        return new Finding(
            RuleId,
            Severity.Warning,
            $"connections to {d.Remote} are slow to establish: p99 handshake {FindingNumbers.Ms(p99)}",
            $"{d.Remote}, netns {d.NetNs}",
            evidence,
            "The time from the client's SYN to ESTABLISHED is one round trip when all goes well. A handshake that takes a "
            + "second or more almost always lost its SYN or the SYN-ACK and waited for the retransmit timer (1 s on Linux); "
            + "the usual causes are a listener whose accept or SYN queue overflows under bursts, packet loss on the path, "
            + "or a middlebox (NAT, conntrack) that drops the first packets of a flow. Without retransmits, the path itself is slow.",
            $"If handshakes needed SYN retransmits, check the server's queues (`ss -ltn`: Recv-Q against Send-Q; `nstat -az | grep -i listen`) "
            + $"and raise the listen backlog or accept faster; check for loss on the path to {d.Remote}. Otherwise measure the RTT (`ping`, `ss -ti`).");
    }

    private sealed record Destination(DestinationStats Stats)
    {
        public List<AttemptEvidence> Slowest { get; } = [];
    }
}

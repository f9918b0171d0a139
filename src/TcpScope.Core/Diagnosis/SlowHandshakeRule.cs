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

    private const int SlowestShown = 3;

    private readonly long thresholdNs = (long)(threshold.TotalMilliseconds * 1_000_000);
    private readonly Dictionary<(uint NetNs, string Remote), (DestinationStats Stats, List<ConnectAttempt> Slowest)> byDestination = [];

    public SlowHandshakeRule()
        : this(DefaultThreshold)
    {
    }

    public override string Id => RuleId;

    public override IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        [.. byDestination.Values
            .Where(d => Percentiles.Of(d.Stats.HandshakesNs, 99) > thresholdNs)
            .OrderBy(d => d.Stats.Remote, StringComparer.Ordinal)
            .Select(d => ToFinding(d.Stats, d.Slowest))];

    protected override void Observe(ConnectAttempt a)
    {
        if (a.HandshakeNs is null)
        {
            return;
        }

        var key = (a.Connection.NetNs, a.Remote);
        if (!byDestination.TryGetValue(key, out var d))
        {
            if (byDestination.Count >= MaxDestinations)
            {
                return;
            }

            byDestination[key] = d = (new DestinationStats(key.NetNs, key.Remote), []);
        }

        d.Stats.Add(a);
        d.Slowest.Add(a);
        d.Slowest.Sort((x, y) => y.DurationNs.CompareTo(x.DurationNs));
        if (d.Slowest.Count > SlowestShown)
        {
            d.Slowest.RemoveAt(SlowestShown);
        }
    }

    private Finding ToFinding(DestinationStats d, List<ConnectAttempt> slowest)
    {
        IReadOnlyList<long> h = d.HandshakesNs;
        long p50 = Percentiles.Of(h, 50) ?? 0, p99 = Percentiles.Of(h, 99) ?? 0;
        var evidence = new List<string>
        {
            $"{h.Count} established handshake(s): p50 {FindingNumbers.Ms(p50)}, p99 {FindingNumbers.Ms(p99)}, max {FindingNumbers.Ms(h[^1])} (threshold {FindingNumbers.Ms(thresholdNs)})",
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
}

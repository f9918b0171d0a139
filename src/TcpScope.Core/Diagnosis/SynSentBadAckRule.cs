using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Connect attempts whose SYN was answered by an ACK that did not acknowledge it, which the
/// client in SYN_SENT answered with an RST (<c>tcp_send_reset</c>, TCP_INVALID_ACK_SEQUENCE):
/// the server still held a connection on that 4-tuple. Attempts that connected afterwards
/// (healed) are a warning with the latency the detour cost; attempts that never connected are
/// an error. One finding per destination and kind.
/// </summary>
public sealed class SynSentBadAckRule : AttemptRule
{
    public const string RuleId = "TCP-SYNSENT-BAD-ACK";

    private const int ETIMEDOUT = 110;

    private const string WhatABareAckMeans =
        "The server answered the SYN with an ACK that does not acknowledge it (a bare ACK, not a SYN-ACK): it still holds a "
        + "connection on this 4-tuple (same addresses, same ports), usually a TIME_WAIT left after it closed the previous "
        + "connection first, or a FIN_WAIT2 it never finished, and it judges the new SYN to belong to that old connection "
        + "(an older sequence number, or an older timestamp: PAWS). The port came back while the server still remembered it: "
        + "typically a NAT that maps many clients onto few addresses reused the source port after its own shorter timeout, or "
        + "clients cycle through their ephemeral ports faster than the server's 60 s TIME_WAIT. The client in SYN_SENT answers "
        + "such an ACK with an RST (tcp_send_reset, reason TCP_INVALID_ACK_SEQUENCE). Normally the RST kills the server's "
        + "TIME_WAIT and the next SYN retransmit, rearmed to about 10 ms, connects. It does not when the server ignores RSTs in "
        + "TIME_WAIT (net.ipv4.tcp_rfc1337=1, RFC 1337's protection against TIME_WAIT assassination) or a middlebox on the way "
        + "(a firewall, the NAT itself) drops the client's RST: then every SYN retransmit meets the same old connection and gets "
        + "the same bare ACK (or nothing, while the server rate-limits those ACKs) until the TIME_WAIT expires (60 s) or the "
        + "application or the kernel gives up. ";

    // per destination with bad ACKs: the healed and the failed attempts, and their latencies
    private readonly BoundedTable<(uint NetNs, string Remote), Destination> destinations = new(MaxDestinations);

    // the other handshakes of a destination, kept apart so that destinations without bad ACKs never crowd out those with them
    private readonly BoundedTable<(uint NetNs, string Remote), LatencyHistogram> cleanHandshakesNs = new(MaxDestinations);

    public override string Id => RuleId;

    public override IEnumerable<Shortfall> Shortfalls =>
    [
        .. TableShortfalls("bad_ack", "the bad-ACK rule", destinations.Expired, destinations.Refused),
        .. TableShortfalls("bad_ack_clean", "the bad-ACK rule's handshakes without a bad ACK (what the detour is measured against)", cleanHandshakesNs.Expired, cleanHandshakesNs.Refused),
    ];

    public override IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        [.. destinations.Entries.OrderBy(d => d.Key.Remote, StringComparer.Ordinal)
            .SelectMany(d => new[] { (d.Key, d.Value, Healed: true), (d.Key, d.Value, Healed: false) })
            .Where(d => (d.Healed ? d.Value.Healed : d.Value.Failed).Total > 0)
            .Select(d => d.Healed
                ? Healed(d.Key.NetNs, d.Key.Remote, d.Value, cleanHandshakesNs.TryGetValue(d.Key, out LatencyHistogram? clean) ? clean : new())
                : Failed(d.Key.NetNs, d.Key.Remote, d.Value))];

    protected override void Observe(ConnectAttempt a)
    {
        int resets = a.Connection.ResetsSentInSynSent;
        bool healed = a.HandshakeNs is not null;
        if (resets == 0 && !healed)
        {
            return; // failed for another reason: the other connect rules tell it
        }

        var key = (a.Connection.NetNs, a.Remote);
        if (resets == 0)
        {
            // the destination's other handshakes: what the bad ACK's detour is measured against
            cleanHandshakesNs.GetOrAdd(key, a.EndNs, static _ => new LatencyHistogram())?.Add(a.DurationNs);
            return;
        }

        if (destinations.GetOrAdd(key, a.EndNs, static _ => new Destination()) is not { } d)
        {
            return;
        }

        Group g = healed ? d.Healed : d.Failed;
        g.Total++;
        if (g.Shown.Count < MaxEvidence)
        {
            g.Shown.Add(AttemptEvidence.Of(a));
        }

        if (healed)
        {
            d.HealedResets += resets;
            d.HealedHandshakesNs.Add(a.DurationNs);
            if (AttemptEvidence.FirstResetOf(a) is long rst)
            {
                d.ToResetNs.Add(rst);
                d.AfterResetNs.Add(a.DurationNs - rst);
            }
        }
        else
        {
            d.FailedResets += resets;
            d.FailedRetransmits += a.SynRetransmitOffsetsNs.Count;
            string end = Ending(a.Error);
            d.Endings[end] = d.Endings.GetValueOrDefault(end) + 1;
        }
    }

    private static string Ending(int? error) => error switch
    {
        ETIMEDOUT => "timed out in the kernel (ETIMEDOUT)",
        int e => $"ended with {Interop.Errors.Name(e)}",
        null => "abandoned by the application",
    };

    /// <summary>A round trip on a LAN is tens of microseconds: more digits than <see cref="FindingNumbers.Ms"/>.</summary>
    private static string Fine(long ns) => (ns / 1e6).ToString("0.0##", CultureInfo.InvariantCulture) + " ms";

    private static Finding Healed(uint netns, string remote, Destination d, LatencyHistogram clean)
    {
        (IReadOnlyList<AttemptEvidence> shown, long total) = (d.Healed.Shown, d.Healed.Total);
        long p50 = d.HealedHandshakesNs.Percentile(50) ?? 0;
        string cost = clean.Percentile(50) is long usual
            ? $"handshake p50 {FindingNumbers.Ms(p50)} against {FindingNumbers.Ms(usual)} for the destination's other connects ({(p50 >= usual ? "+" : "")}{FindingNumbers.Ms(p50 - usual)})"
            : $"handshake p50 {FindingNumbers.Ms(p50)}, no connect without a bad ACK to compare with";
        var evidence = new List<string>
        {
            $"{total} attempt(s) connected after {d.HealedResets} RST(s) sent in SYN_SENT to ACKs that did not acknowledge the SYN; "
                + $"handshake p50 {FindingNumbers.Ms(p50)}, max {FindingNumbers.Ms(d.HealedHandshakesNs.Max)}",
        };
        if (d.ToResetNs.Percentile(50) is long toReset && d.AfterResetNs.Percentile(50) is long afterReset)
        {
            evidence.Add($"p50 from the first SYN to the client's RST {Fine(toReset)} (the bare ACK's round trip), "
                + $"from the RST to ESTABLISHED {FindingNumbers.Ms(afterReset)} (the SYN retransmit and its SYN-ACK)");
        }

        if (clean.Count > 0)
        {
            evidence.Add($"compared with {clean.Count} established attempt(s) to {remote} without a bad ACK");
        }

        evidence.AddRange(Capped(
            [.. shown.Select(a => a.FirstResetNs is long rst
                ? $"{Who(a)}: connected after {FindingNumbers.Ms(a.DurationNs)}: RST to the bare ACK {Fine(rst)} after the SYN, "
                    + $"ESTABLISHED {FindingNumbers.Ms(a.DurationNs - rst)} after the RST; {a.ResetsSentInSynSent} RST(s), {Retransmits(a)}"
                : $"{Who(a)}: connected after {FindingNumbers.Ms(a.DurationNs)}; {a.ResetsSentInSynSent} RST(s), {Retransmits(a)}")],
            total));
        return new Finding(
            RuleId,
            Severity.Warning,
            $"{total} connect attempt(s) to {remote} got a bare ACK instead of a SYN-ACK, reset it and connected on the SYN retransmit; {cost}",
            $"{remote}, netns {netns}, healed",
            evidence,
            WhatABareAckMeans
            + "Here the RST did its work: each of these connects cost an extra round trip and the retransmit timer. It is a warning "
            + "because the same port reuse turns into hanging connects as soon as the RST is lost or ignored.",
            Remedy(remote, failed: false));
    }

    private static Finding Failed(uint netns, string remote, Destination d)
    {
        (IReadOnlyList<AttemptEvidence> shown, long total) = (d.Failed.Shown, d.Failed.Total);
        string endings = string.Join(", ", d.Endings.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value} {e.Key}"));
        var evidence = new List<string>
        {
            $"{total} attempt(s) never connected: {d.FailedResets} RST(s) sent in SYN_SENT to ACKs that did not acknowledge the SYN, "
                + $"{d.FailedRetransmits} SYN retransmit(s); {endings}",
        };
        evidence.AddRange(Capped(
            [.. shown.Select(a => $"{Who(a)}: {Ending(a.Error)} after {FindingNumbers.Seconds(a.DurationNs)}, "
                + $"{a.ResetsSentInSynSent} RST(s) sent to bare ACKs, {Retransmits(a)}")],
            total));
        return new Finding(
            RuleId,
            Severity.Error,
            $"{total} connect attempt(s) to {remote} never connected: every SYN got a bare ACK and the client's RSTs did not clear "
                + $"the server's old connection; {endings}",
            $"{remote}, netns {netns}, failed",
            evidence,
            WhatABareAckMeans
            + "Here the old connection outlived every RST the client sent: the server heeded none of them, or none reached it.",
            Remedy(remote, failed: true));
    }

    private static string Remedy(string remote, bool failed) =>
        (failed
            ? $"First find what keeps the RST from clearing the old connection: `sysctl net.ipv4.tcp_rfc1337` on the server of {remote} "
                + "(set it back to 0 on servers behind NATs, or accept that it turns this self-healing case into hangs), and firewall "
                + "rules that drop TCP RSTs on the path. Then remove the port reuse: "
            : $"Remove the port reuse before it hangs (a lost RST, or net.ipv4.tcp_rfc1337=1 on the server of {remote}, turns the "
                + "healing into timeouts): ")
        + "let the client close first, so the TIME_WAIT stays on the client (HTTP/1.1 keep-alive and connection reuse rather "
        + "than a connection per request, a server that does not close first); give the NAT a larger or one-to-one SNAT pool "
        + "(more source addresses) and a TIME_WAIT timeout that outlives the server's 60 s "
        + "(net.netfilter.nf_conntrack_tcp_timeout_time_wait, 120 s by default). net.ipv4.tcp_tw_reuse does not help here: it "
        + "only lets a client reuse its own TIME_WAIT ports for new connects. On the server, `nstat -az TcpExtPAWSTimewait "
        + "TcpExtTCPACKSkippedTimeWait` and `ss -tan state time-wait` show the old connections the SYNs meet.";

    private sealed class Destination
    {
        public Group Healed { get; } = new();

        public Group Failed { get; } = new();

        public LatencyHistogram HealedHandshakesNs { get; } = new();

        public LatencyHistogram ToResetNs { get; } = new();

        public LatencyHistogram AfterResetNs { get; } = new();

        public long HealedResets { get; set; }

        public long FailedResets { get; set; }

        public long FailedRetransmits { get; set; }

        public Dictionary<string, int> Endings { get; } = [];
    }

    private sealed class Group
    {
        public List<AttemptEvidence> Shown { get; } = [];

        public long Total { get; set; }
    }
}

using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// The shape of rules over connect attempts: they watch <see cref="ConnectionTable"/>'s
/// attempts as they end and group them by destination, within a bounded number of destinations
/// that expire (<see cref="BoundedTable{TKey, TValue}"/>); what they drop they count as shortfalls.
/// </summary>
public abstract class AttemptRule : IRule, IConnectionObserver, IShortfalls
{
    /// <summary>Groups (destinations) a rule keeps; memory stays bounded whatever the traffic.</summary>
    public const int MaxDestinations = 1024;

    /// <summary>Attempts listed as evidence per finding.</summary>
    public const int MaxEvidence = 10;

    public abstract string Id { get; }

    public abstract IEnumerable<Shortfall> Shortfalls { get; }

    public void OnStateChange(in StateChange e)
    {
    }

    // attempts come from the connection table (OnConnectEnded); raw events are not this rule's
    public void OnSocketEvent(in SocketEvent e)
    {
    }

    public void OnTotals(in SocketTotals e)
    {
    }

    public void OnIcmpError(in IcmpError e)
    {
    }

    public void OnStack(StackSample e)
    {
    }

    public void OnDrop(in PacketDrop e)
    {
    }

    public void OnIdle(long monotonicNowNs)
    {
    }

    public void OnConnectEnded(ConnectAttempt a) => Observe(a);

    public abstract IReadOnlyList<Finding> Evaluate(long monotonicNowNs);

    protected abstract void Observe(ConnectAttempt a);

    /// <summary>The two counts of a rule's destination table: destinations expired, attempts not kept.</summary>
    /// <param name="prefix">The shortfall ids' prefix (one per rule: ids are JSON keys).</param>
    /// <param name="what">The attempts the rule keeps, in words.</param>
    protected static IEnumerable<Shortfall> TableShortfalls(string prefix, string what, long expired, long notKept) =>
    [
        new($"{prefix}_destinations_expired", expired, $"destinations dropped by {what} after {TableExpiry.Default.TotalMinutes:0} min without attempts, to make room for new ones (their findings end)"),
        new($"{prefix}_attempts_not_kept", notKept, $"attempts not kept by {what}: its table of {MaxDestinations} destinations was full of recent ones (not in its findings)"),
    ];

    /// <summary>"198.18.0.1:40000 -> 198.18.0.2:81 (pid 42 curl)".</summary>
    protected static string Who(AttemptEvidence a) => $"{a.Local} -> {a.Remote} ({a.Owner})";

    protected static string Retransmits(AttemptEvidence a) => a.SynRetransmitOffsetsNs.Length == 0
        ? "no SYN retransmit"
        : $"{a.SynRetransmitOffsetsNs.Length} SYN retransmit(s) at {string.Join(", ", a.SynRetransmitOffsetsNs.Select(FindingNumbers.Seconds))}";

    protected static IReadOnlyList<string> Capped(IReadOnlyCollection<string> lines, long total)
    {
        List<string> shown = [.. lines.Take(MaxEvidence)];
        if (total > shown.Count)
        {
            shown.Add($"... and {total - shown.Count} more");
        }

        return shown;
    }

    // only attempts tell these rules anything
    public void OnAccepted(Connection c)
    {
    }

    public void OnClosed(Connection c)
    {
    }

    // judged on attempts that ended: one still pending proves nothing yet
    public void OnConnectInProgress(ConnectAttempt a)
    {
    }
}

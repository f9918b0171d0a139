using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// The shape of rules over connect attempts: they watch <see cref="ConnectionTable"/>'s
/// attempts as they end and group them by destination, within a bounded number of destinations.
/// </summary>
public abstract class AttemptRule : IRule, IConnectionObserver
{
    /// <summary>Groups (destinations) a rule keeps; memory stays bounded whatever the traffic.</summary>
    public const int MaxDestinations = 4096;

    /// <summary>Attempts listed as evidence per finding.</summary>
    public const int MaxEvidence = 10;

    public abstract string Id { get; }

    public void OnStateChange(in StateChange e)
    {
    }

    public void OnConnectEnded(ConnectAttempt a) => Observe(a);

    public abstract IReadOnlyList<Finding> Evaluate(long monotonicNowNs);

    protected abstract void Observe(ConnectAttempt a);

    /// <summary>"198.18.0.1:40000 -> 198.18.0.2:81 (pid 42 curl)".</summary>
    protected static string Who(ConnectAttempt a)
    {
        Connection c = a.Connection;
        string owner = c.OwnerSource == OwnerSource.Unknown ? "unknown process" : $"pid {c.OwnerPid} {c.OwnerComm}";
        return $"{a.Local} -> {a.Remote} ({owner})";
    }

    protected static string Retransmits(ConnectAttempt a) => a.SynRetransmitOffsetsNs.Count == 0
        ? "no SYN retransmit"
        : $"{a.SynRetransmitOffsetsNs.Count} SYN retransmit(s) at {string.Join(", ", a.SynRetransmitOffsetsNs.Select(FindingNumbers.Seconds))}";

    protected static IReadOnlyList<string> Capped(IReadOnlyCollection<string> lines, int total)
    {
        List<string> shown = [.. lines.Take(MaxEvidence)];
        if (total > shown.Count)
        {
            shown.Add($"... and {total - shown.Count} more");
        }

        return shown;
    }
}

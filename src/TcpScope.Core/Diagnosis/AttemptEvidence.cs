using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// What a finding tells of one connect attempt, copied out of its <see cref="Connection"/>: a
/// rule keeps these few fields, not the connection with its timeline and stacks.
/// </summary>
public sealed record AttemptEvidence(
    string Local,
    string Remote,
    string Owner,
    ConnectOutcome Outcome,
    long DurationNs,
    long[] SynRetransmitOffsetsNs,
    int? Error,
    int ResetsSentInSynSent,
    string? IcmpText,
    long? FirstResetNs)
{
    public static AttemptEvidence Of(ConnectAttempt a)
    {
        Connection c = a.Connection;
        return new AttemptEvidence(
            a.Local,
            a.Remote,
            c.OwnerSource == OwnerSource.Unknown ? "unknown process" : $"pid {c.OwnerPid} {c.OwnerComm}",
            a.Outcome,
            a.DurationNs,
            [.. a.SynRetransmitOffsetsNs],
            a.Error,
            c.ResetsSentInSynSent,
            c.Icmp?.Text,
            FirstResetOf(a));
    }

    /// <summary>When the client first reset a bare ACK, from the start of the attempt (null if none, or the timeline was cut).</summary>
    public static long? FirstResetOf(ConnectAttempt a) => a.Connection.FirstResetSentInSynSentNs() - a.StartNs;
}

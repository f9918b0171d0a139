using TcpScope.Decode;

namespace TcpScope.Correlation;

/// <summary>One connect attempt, from CLOSE -> SYN_SENT to its outcome: the `connect` verb's record.</summary>
public sealed record ConnectAttempt(
    Connection Connection,
    ConnectOutcome Outcome,
    long StartNs,
    long DurationNs,
    IReadOnlyList<long> SynRetransmitOffsetsNs,
    int? Error)
{
    private const int EINPROGRESS = 115;
    private const int ETIMEDOUT = 110;

    public bool Failed => Outcome != ConnectOutcome.Established;

    /// <summary>When the attempt ended (the clock of event timestamps).</summary>
    public long EndNs => StartNs + DurationNs;

    /// <summary>Handshake latency: SYN sent to ESTABLISHED (established attempts only).</summary>
    public long? HandshakeNs => Outcome == ConnectOutcome.Established ? DurationNs : null;

    // made once: the summary and every rule key their tables by it
    private string? remote;

    public string Remote => remote ??= AddressText.Endpoint(Connection.Family, Connection.RemoteAddress, Connection.RemotePort);

    public string Local => AddressText.Endpoint(Connection.Family, Connection.LocalAddress, Connection.LocalPort);

    /// <summary>The attempt of a connection whose connect has ended (null if it did not start with connect() in the trace).</summary>
    public static ConnectAttempt? From(Connection c)
    {
        if (c.Origin != ConnectionOrigin.Active || c.ConnectStartNs is not long start)
        {
            return null;
        }

        long end = c.EstablishedNs ?? c.EndedNs ?? start;
        ConnectOutcome outcome = OutcomeOf(c);
        return new ConnectAttempt(
            c,
            outcome,
            start,
            end - start,
            SynRetransmitOffsets(c, start),
            outcome == ConnectOutcome.Established ? null : ErrorOf(c));
    }

    private static long[] SynRetransmitOffsets(Connection c, long start)
    {
        if (c.SynRetransmitCount == 0)
        {
            return [];
        }

        IReadOnlyList<long> at = c.SynRetransmitsNs;
        var offsets = new long[at.Count];
        for (int i = 0; i < offsets.Length; i++)
        {
            offsets[i] = at[i] - start;
        }

        return offsets;
    }

    /// <summary>An attempt still in SYN_SENT at <paramref name="nowNs"/>, when the trace ended (null if the trace missed its connect()).</summary>
    public static ConnectAttempt? InProgress(Connection c, long nowNs)
    {
        if (c.Origin != ConnectionOrigin.Active || c.ConnectStartNs is not long start)
        {
            return null;
        }

        return new ConnectAttempt(c, ConnectOutcome.InProgress, start, Math.Max(0, nowNs - start), SynRetransmitOffsets(c, start), null);
    }

    /// <summary>
    /// Ordered by what is most specific: an established handshake, resets the client sent to
    /// unacceptable ACKs, an RST received, the kernel's own timeout, any other error (ICMP),
    /// and else the application closed it.
    /// </summary>
    public static ConnectOutcome OutcomeOf(Connection c) => c switch
    {
        { EstablishedNs: not null } => ConnectOutcome.Established,
        { ResetsSentInSynSent: > 0 } => ConnectOutcome.ResetAfterBadAck,
        { ResetReceivedIn: TcpState.SYN_SENT } => ConnectOutcome.Refused,
        { SocketError: ETIMEDOUT } => ConnectOutcome.TimedOut,
        { SocketError: not null } or { Icmp: not null } => ConnectOutcome.Unreachable,
        _ => ConnectOutcome.Aborted,
    };

    /// <summary>
    /// The error the application saw: the socket's error; else the ICMP error's errno (an ICMP
    /// error that arrived while connect() held the socket is only a soft error, which SO_ERROR
    /// returns); else what connect() returned if not "in progress".
    /// </summary>
    private static int? ErrorOf(Connection c) =>
        c.SocketError ?? c.Icmp?.Error ?? (c.ConnectReturn is < 0 and not -EINPROGRESS ? -c.ConnectReturn : null);
}

using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Every drop the other drop rules do not tell, grouped the same way. Most are normal TCP life
/// (a TIME_WAIT socket consuming a segment, a retransmission the receiver did not need, data
/// purged at close): info, and a warning only when many segments with data go at a high rate;
/// NOT_SPECIFIED (no reason) never warns. A reason that is no normal life warns at a high rate.
/// </summary>
public sealed class OtherDropsRule : DropRule
{
    public const string RuleId = "TCP-DROPS";

    /// <summary>Drops of normal TCP life warn only when at least this many carried data (and at a high rate).</summary>
    public const long NormalLifeCount = 10_000;

    /// <summary>Reasons every healthy host sees: they say something only in large numbers.</summary>
    private static readonly HashSet<string> NormalLife =
    [
        "TCP_OLD_DATA", "TCP_OLD_SEQUENCE", "QUEUE_PURGE", "TCP_RESET", "TCP_CLOSE", "SOCKET_CLOSE", "TCP_OFOMERGE", "NO_SOCKET",
    ];

    public override string Id => RuleId;

    protected override string ShortfallPrefix => "other_drops";

    protected override bool Takes(in PacketDrop e) =>
        !(FirewallDropsRule.Matches(in e) || AcceptQueueFullAtAckRule.Matches(in e) || NoListenerRule.Matches(in e)
            || ReceiveBufferDropsRule.Matches(in e) || ChecksumDropsRule.Matches(in e));

    // a reason with no words of its own counts as normal life here: it comes with every TIME_WAIT
    protected override bool ByEndpoint(in PacketDrop e) => !(e.Reason is null or "NOT_SPECIFIED" || NormalLife.Contains(e.Reason));

    protected override Severity SeverityOf(DropGroup g)
    {
        if (g.Reason is "NOT_SPECIFIED" or "")
        {
            return Severity.Info;
        }

        // normal life is counted by the segments that lost data: every connection closed after the peer's FIN
        // purges that FIN (QUEUE_PURGE), and a storm of connections is thousands of them
        return NormalLife.Contains(g.Reason)
            ? (g.PayloadRatePerSecond >= HighRatePerSecond && g.WithPayload >= NormalLifeCount ? Severity.Warning : Severity.Info)
            : (g.RatePerSecond >= HighRatePerSecond ? Severity.Warning : Severity.Info);
    }

    protected override string Title(DropGroup g) => g.Local == AllEndpoints
        ? $"{g.Count} segment(s) dropped with reason {ReasonText(g)} in netns {g.NetNs} (normal TCP life; all endpoints together)"
        : $"{g.Count} segment(s) to {g.Local} dropped with reason {ReasonText(g)}";

    protected override string Why(DropGroup g) => SeverityOf(g) == Severity.Info
        ? "At this count and rate it is no sign of trouble by itself; look at it when connections to this endpoint misbehave."
        : $"They come at {Rate(g)}, too many to be accidents.";
}

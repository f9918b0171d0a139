using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Segments with a bad TCP checksum (TCP_CSUM): corruption on the path or an offload bug. A
/// warning; an error at a high rate.
/// </summary>
public sealed class ChecksumDropsRule : DropRule
{
    public const string RuleId = "TCP-CHECKSUM-DROPS";

    public override string Id => RuleId;

    protected override string ShortfallPrefix => "checksum_drops";

    public static bool Matches(in PacketDrop e) => e.Reason == "TCP_CSUM";

    protected override bool Takes(in PacketDrop e) => Matches(in e);

    protected override Severity SeverityOf(DropGroup g) => g.RatePerSecond >= HighRatePerSecond ? Severity.Error : Severity.Warning;

    protected override string Title(DropGroup g) => $"{g.Count} segment(s) to {g.Local} arrived with a bad TCP checksum";

    protected override string Why(DropGroup g) =>
        "TCP verified the segment's checksum and it did not match: the bytes changed between the sender and this host (a "
        + "faulty NIC, cable or middlebox), or a checksum offload left a wrong checksum (common with virtual interfaces and "
        + "tunnels). Each one is retransmitted by the sender; many of them slow the connections.";

    protected override string? MoreRemedy(DropGroup g) => "`nstat -az TcpInCsumErrors` counts them host-wide.";
}

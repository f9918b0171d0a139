using System.Globalization;
using System.Runtime.InteropServices;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Output;

namespace TcpScope.Diagnosis;

/// <summary>
/// The shape of the rules over dropped segments: each takes the drops of its reasons, groups
/// them by (network namespace, local endpoint, reason) in a bounded table that expires and
/// counts what it dropped, and makes one finding per group with the count, the rate, a few
/// examples and the reason's words from <see cref="DropReasonTable"/>.
/// </summary>
/// <remarks>
/// The local endpoint is the segment's destination: TCP drops are of received segments, whose
/// destination is this host's socket. A segment a firewall drops on its way out (OUTPUT) is
/// grouped by where it was going too, which is what a user searches the rules for.
/// </remarks>
public abstract class DropRule : IRule, IShortfalls
{
    /// <summary>Groups a rule keeps: memory stays bounded whatever drops.</summary>
    public const int MaxGroups = 1024;

    /// <summary>Drops per second (over at least a second) above which a group's drops are no accident.</summary>
    public const double HighRatePerSecond = 100;

    internal const byte Fin = 0x01;
    internal const byte Syn = 0x02;
    internal const byte Rst = 0x04;
    internal const byte Ack = 0x10;

    private readonly BoundedTable<GroupKey, DropGroup> groups = new(MaxGroups);

    public abstract string Id { get; }

    /// <summary>The shortfall ids' prefix (ids are JSON keys: one per rule).</summary>
    protected abstract string ShortfallPrefix { get; }

    public IEnumerable<Shortfall> Shortfalls =>
    [
        new($"{ShortfallPrefix}_groups_expired", groups.Expired, $"endpoints dropped by the {Id} rule after {TableExpiry.Default.TotalMinutes:0} min without drops, to make room for new ones (their findings end)"),
        new($"{ShortfallPrefix}_drops_not_kept", groups.Refused, $"drops not kept by the {Id} rule: its table of {MaxGroups} endpoints was full of recent ones (not in its findings)"),
    ];

    /// <summary>What a group of all endpoints is called (see <see cref="ByEndpoint"/>).</summary>
    public const string AllEndpoints = "all endpoints";

    /// <summary>The SYN of a new connection: SYN without ACK.</summary>
    public static bool IsSyn(in PacketDrop e) => (e.TcpFlags & (Syn | Ack)) == Syn;

    public void OnDrop(in PacketDrop e)
    {
        if (e.Kind == DropKind.Drop && Takes(in e))
        {
            Group(in e, ReasonName(in e))?.Add(in e);
        }
        else if (e.Kind == DropKind.Reset && AnsweredReason(in e) is { } reason)
        {
            Group(in e, reason)?.AddReset();
        }
    }

    public IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        [.. groups.Values
            .Where(g => g.Count > 0)
            .OrderBy(g => g.Local, StringComparer.Ordinal)
            .ThenBy(g => g.Reason, StringComparer.Ordinal)
            .ThenBy(g => g.NetNs)
            .Select(ToFinding)];

    /// <summary>Whether this rule tells this drop.</summary>
    protected abstract bool Takes(in PacketDrop e);

    /// <summary>
    /// Whether this drop is grouped by its local endpoint (the default), or with the drops of its
    /// reason at all endpoints of its namespace: drops of normal TCP life land on every ephemeral
    /// port of every client, and one group each would be thousands of findings that tell nothing.
    /// </summary>
    protected virtual bool ByEndpoint(in PacketDrop e) => true;

    /// <summary>For a reset the kernel sent: the drop reason of the segment it answers, when this rule counts such resets; else null.</summary>
    protected virtual string? AnsweredReason(in PacketDrop e) => null;

    protected abstract Severity SeverityOf(DropGroup g);

    /// <summary>The finding's first words, without the count line and examples that every drop finding has.</summary>
    protected abstract string Title(DropGroup g);

    /// <summary>What the rule adds to the evidence before the examples (queues, owner, resets).</summary>
    protected virtual IEnumerable<string> MoreEvidence(DropGroup g) => [];

    /// <summary>What the rule adds to the reason's meaning: the kernel path and what it does to the connections.</summary>
    protected abstract string Why(DropGroup g);

    /// <summary>The reason's meaning where the rule knows better than the table (a reason that means something else in its story); null: the table's.</summary>
    protected virtual string? Meaning(DropGroup g) => null;

    /// <summary>What the rule adds to the reason's remedy.</summary>
    protected virtual string? MoreRemedy(DropGroup g) => null;

    /// <summary>"NETFILTER_DROP", or what stands for a reason the kernel did not name.</summary>
    protected static string ReasonName(in PacketDrop e) =>
        e.Reason ?? (e.ReasonNumber < 0 ? "" : "reason " + e.ReasonNumber.ToString(CultureInfo.InvariantCulture));

    protected static string ReasonText(DropGroup g) => g.Reason.Length == 0 ? "no reason given by this kernel" : g.Reason;

    protected static string Rate(DropGroup g) => g.RatePerSecond.ToString("0.#", CultureInfo.InvariantCulture) + "/s";

    /// <summary>"lab-server (pid 4711)", or null.</summary>
    protected static string? Owner(DropGroup g) => g.LastOwned is { } o
        ? $"{CommText.ToString(o.OwnerComm)} (pid {o.OwnerPid.ToString(CultureInfo.InvariantCulture)})"
        : null;

    private DropGroup? Group(in PacketDrop e, string reason)
    {
        Decode.Abi.AddressBytes destination = e.DestinationAddress;
        GroupKey key = ByEndpoint(in e)
            ? new(e.NetNs, e.Family, MemoryMarshal.Read<UInt128>(destination), e.DestinationPort, reason)
            : new(e.NetNs, default, default, 0, reason);

        // the endpoint's text is made once per group, not per drop
        return groups.GetOrAdd(key, e.TimestampNs, static k => new DropGroup(k.NetNs, k.Endpoint, k.Reason));
    }

    private Finding ToFinding(DropGroup g)
    {
        DropReasonEntry? words = DropReasonTable.Find(g.Reason);
        var evidence = new List<string>
        {
            $"{g.Count} segment(s){(g.Local == AllEndpoints ? "" : " to " + g.Local)} dropped with reason {ReasonText(g)} in netns {g.NetNs}"
                + (g.Syns > 0 ? $", {g.Syns} of them SYN(s)" : "")
                + $", over {FindingNumbers.Seconds(g.LastNs - g.FirstNs)} ({Rate(g)})",
        };
        evidence.AddRange(MoreEvidence(g));
        evidence.AddRange(g.Examples.Select(e => Example(e, g.FirstNs)));
        if (g.Count > g.Examples.Count)
        {
            evidence.Add($"... and {g.Count - g.Examples.Count} more");
        }

        string meaning = Meaning(g) is { } own ? $"{ReasonText(g)}: {own}."
            : words is null ? $"The kernel dropped these segments with reason {ReasonText(g)}."
            : $"{ReasonText(g)}: {words.Meaning}.";
        string remedy = string.Join(" ", new[] { words?.Remedy is { } r ? Capital(r) + "." : null, MoreRemedy(g) }.Where(s => s is not null));
        return new Finding(
            Id,
            SeverityOf(g),
            Title(g),
            $"{g.Local}, {ReasonText(g)}, netns {g.NetNs}",
            evidence,
            $"{meaning} {Why(g)}",
            remedy.Length > 0 ? remedy : "Nothing to do while they stay few: this is a drop of normal TCP life.");
    }

    /// <summary>"+0.25 s: S from 198.18.0.1:40000, no socket".</summary>
    private static string Example(PacketDrop e, long firstNs)
    {
        string socket = !e.HasSocket ? "no socket" : $"{StateNames.Of(e.State)} socket";
        string queues = e.HasListenerQueues ? $", accept queue {e.AckBacklog}/{e.MaxAckBacklog}, SYN queue {e.SynQueueLength}" : "";
        return $"+{FindingNumbers.Seconds(e.TimestampNs - firstNs)}: {TcpFlagsText.Of(e.TcpFlags)} from "
            + $"{AddressText.Endpoint(e.Family, e.SourceAddress, e.SourcePort)}, {socket}{queues}{DropText.Owner(e)}";
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    // drops are the only events these rules learn from
    public void OnStateChange(in StateChange e)
    {
    }

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

    public void OnIdle(long monotonicNowNs)
    {
    }

    public void OnConnectEnded(ConnectAttempt a)
    {
    }

    public void OnConnectInProgress(ConnectAttempt a)
    {
    }

    public void OnAccepted(Connection c)
    {
    }

    public void OnClosed(Connection c)
    {
    }

    private readonly record struct GroupKey(uint NetNs, AddressFamilyKind Family, UInt128 Address, ushort Port, string Reason)
    {
        public string Endpoint
        {
            get
            {
                if (Family == default && Port == 0)
                {
                    return AllEndpoints;
                }

                Decode.Abi.AddressBytes bytes = default;
                MemoryMarshal.Write(bytes, Address);
                return AddressText.Endpoint(Family, bytes, Port);
            }
        }
    }
}

using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>
/// One connection as the trace saw it: who owns it, its endpoints, and its timeline. Built
/// by <see cref="ConnectionTable"/> from the events of one socket; read by the views and rules.
/// </summary>
public sealed class Connection
{
    /// <summary>The timeline keeps this many steps; a connection with more counts them in <see cref="TimelineDropped"/>.</summary>
    public const int MaxTimeline = 64;

    private readonly List<TimelineEntry> timeline = [];
    private readonly List<TcpState> path = [];
    private readonly List<long> synRetransmits = [];
    private Comm ownerComm;
    private string? ownerCommText;

    internal Connection(uint netNs, ulong socket, long firstSeenNs)
    {
        NetNs = netNs;
        Socket = socket;
        FirstSeenNs = firstSeenNs;
    }

    public uint NetNs { get; }

    /// <summary>The kernel's struct sock address: an identity while the socket lives, reused after.</summary>
    public ulong Socket { get; }

    public long FirstSeenNs { get; }

    /// <summary>When its last event was seen.</summary>
    public long LastSeenNs { get; private set; }

    /// <summary>
    /// The trace saw it open (CLOSE -> SYN_SENT or LISTEN -> SYN_RECV): its lifetime and
    /// handshake are known. A socket older than the trace has only the time it was seen.
    /// </summary>
    public bool OpenSeen { get; internal set; }

    /// <summary>
    /// Records of this socket were lost (the ring was full): what its record shows is true, but
    /// something is missing (see <see cref="StartLost"/> and <see cref="EndLost"/> for where).
    /// </summary>
    public bool Incomplete { get; internal set; }

    /// <summary>Its first records were lost: it began before what the record shows (not a socket older than the trace).</summary>
    public bool StartLost { get; internal set; }

    /// <summary>Its end was lost: the record stops at its last event seen.</summary>
    public bool EndLost { get; internal set; }

    public ConnectionOrigin Origin { get; internal set; }

    public AddressFamilyKind Family { get; internal set; }

    public AddressBytes LocalAddress { get; internal set; }

    public ushort LocalPort { get; internal set; }

    public AddressBytes RemoteAddress { get; internal set; }

    public ushort RemotePort { get; internal set; }

    public uint OwnerPid { get; internal set; }

    public Comm OwnerCommBytes
    {
        get => ownerComm;
        internal set
        {
            if (!((ReadOnlySpan<byte>)value).SequenceEqual(ownerComm))
            {
                ownerComm = value;
                ownerCommText = null;
            }
        }
    }

    /// <summary>The owner's name as text, made once per owner (every line and finding shows it).</summary>
    public string OwnerComm => OwnerSource == OwnerSource.Unknown ? "" : ownerCommText ??= CommText.ToString(ownerComm);

    public OwnerSource OwnerSource { get; internal set; }

    public TcpState State { get; internal set; }

    /// <summary>CLOSE -> SYN_SENT: when connect() started the attempt.</summary>
    public long? ConnectStartNs { get; internal set; }

    public long? EstablishedNs { get; internal set; }

    public long? AcceptedNs { get; internal set; }

    /// <summary>-> CLOSE.</summary>
    public long? EndedNs { get; internal set; }

    /// <summary>The states it went through, the first one being the state it was in when first seen.</summary>
    public IReadOnlyList<TcpState> Path => path;

    /// <summary>When each retransmit in SYN_SENT (of the SYN) happened.</summary>
    public IReadOnlyList<long> SynRetransmitsNs => synRetransmits;

    /// <summary>Retransmits in any state.</summary>
    public int Retransmits { get; internal set; }

    /// <summary>The state in which an RST was received, if one was.</summary>
    public TcpState? ResetReceivedIn { get; internal set; }

    public int ResetsSent { get; internal set; }

    /// <summary>RSTs sent while in SYN_SENT: the answer to an ACK that did not acknowledge the SYN.</summary>
    public int ResetsSentInSynSent { get; internal set; }

    /// <summary>The kernel's reason for the last RST sent ("TCP_INVALID_ACK_SEQUENCE"), if it has reasons.</summary>
    public string? LastResetReason { get; internal set; }

    /// <summary>The state the socket was in when it sent its last RST.</summary>
    public TcpState? LastResetSentIn { get; internal set; }

    /// <summary>The last non-zero error the kernel reported to the application (errno).</summary>
    public int? SocketError { get; internal set; }

    /// <summary>The last ICMP error that arrived for it: what it said, who sent it, the errno it became.</summary>
    public IcmpError? Icmp { get; internal set; }

    /// <summary>What connect() returned: 0 or -errno (-EINPROGRESS for a non-blocking connect).</summary>
    public int? ConnectReturn { get; internal set; }

    public SocketTotals? Totals { get; internal set; }

    /// <summary>Application bytes sent and acknowledged (needs <see cref="Totals"/>).</summary>
    public ulong? BytesSent => Totals?.PayloadSent(Origin switch
    {
        ConnectionOrigin.Active => true,
        ConnectionOrigin.Passive => false,
        _ => null,
    });

    /// <summary>Application bytes received in order.</summary>
    public ulong? BytesReceived => Totals?.PayloadReceived;

    /// <summary>Kernel stack where the connect attempt ended (with --stacks).</summary>
    public ulong[]? KernelStack { get; internal set; }

    /// <summary>User stack of the connect() call (with --stacks), in <see cref="UserStackPid"/>'s address space.</summary>
    public ulong[]? UserStack { get; internal set; }

    public uint UserStackPid { get; internal set; }

    public IReadOnlyList<TimelineEntry> Timeline => timeline;

    public int TimelineDropped { get; private set; }

    /// <summary>
    /// Time from its opening (or, when <see cref="OpenSeen"/> is false, from the first event
    /// seen: a lower bound) to the end, or to its last event when <see cref="Incomplete"/>, or
    /// to <paramref name="nowNs"/> while open.
    /// </summary>
    public long LifetimeNs(long nowNs) => (EndedNs ?? (EndLost ? LastSeenNs : nowNs)) - (ConnectStartNs ?? FirstSeenNs);

    internal void Add(in TimelineEntry entry)
    {
        LastSeenNs = entry.TimestampNs;
        if (timeline.Count < MaxTimeline)
        {
            timeline.Add(entry);
        }
        else
        {
            TimelineDropped++;
        }
    }

    internal void AddState(TcpState from, TcpState to)
    {
        if (path.Count == 0)
        {
            path.Add(from);
        }

        if (path.Count < MaxTimeline)
        {
            path.Add(to);
        }

        State = to;
    }

    /// <summary>The state it was in when first seen by an event that is not a transition.</summary>
    internal void SetFirstState(TcpState state)
    {
        if (path.Count == 0)
        {
            path.Add(state);
        }

        State = state;
    }

    internal void AddSynRetransmit(long ns)
    {
        if (synRetransmits.Count < MaxTimeline)
        {
            synRetransmits.Add(ns);
        }
    }
}

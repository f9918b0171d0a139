using System.Runtime.CompilerServices;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>
/// One connection as the trace saw it: who owns it, its endpoints, and its timeline. Built
/// by <see cref="ConnectionTable"/> from the events of one socket; read by the views and rules.
/// </summary>
/// <remarks>
/// A table holds up to 131 072 of these for as long as the connections stay open, so the
/// object is kept small: times without a value are a sentinel rather than nullable fields, the
/// state path is packed four bits a state, the timeline is 16-byte steps, the first four inside the object, and what
/// few connections have (ICMP errors, resets sent, stacks) sits in a part
/// allocated on first use. Lists and text are made only when asked for.
/// </remarks>
public sealed partial class Connection
{
    /// <summary>The timeline keeps this many steps; a connection with more counts them in <see cref="TimelineDropped"/>.</summary>
    public const int MaxTimeline = 64;

    private const long NoTime = long.MinValue;
    private const int NoValue = int.MinValue;
    private const byte NoState = 0xff;
    private const int InlinePath = 16; // states packed into pathLow, 4 bits each
    private const byte NoEvent = 0xff;
    private const int InlineStepCount = 4;

    private InlineSteps firstSteps; // most open connections have two or three steps: no array for them
    private Step[]? moreSteps;
    private long[]? synRetransmits;
    private TcpState[]? pathMore; // states beyond the first 16
    private Rare? rare;
    private StrongBox<SocketTotals>? totals; // every closed connection has them, no open one: apart from the rest
    private string? ownerCommText;
    private ulong pathLow;
    private long connectStartNs = NoTime;
    private long establishedNs = NoTime;
    private long acceptedNs = NoTime;
    private long endedNs = NoTime;
    private int socketError = NoValue;
    private int connectReturn = NoValue;
    private Comm ownerComm;
    private byte timelineCount;
    private byte pathCount;
    private byte synRetransmitCount;
    private byte resetReceivedIn = NoState;

    internal Connection(uint netNs, ulong socket, long firstSeenNs)
    {
        NetNs = netNs;
        Socket = socket;
        FirstSeenNs = firstSeenNs;
        LastSeenNs = firstSeenNs;
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

    /// <summary>The owner's name as text, made once per owner when first asked for (the text lines write the bytes).</summary>
    public string OwnerComm => OwnerSource == OwnerSource.Unknown ? "" : ownerCommText ??= CommText.ToString(ownerComm);

    public OwnerSource OwnerSource { get; internal set; }

    public TcpState State { get; internal set; }

    /// <summary>CLOSE -> SYN_SENT: when connect() started the attempt.</summary>
    public long? ConnectStartNs
    {
        get => Time(connectStartNs);
        internal set => connectStartNs = value ?? NoTime;
    }

    public long? EstablishedNs
    {
        get => Time(establishedNs);
        internal set => establishedNs = value ?? NoTime;
    }

    public long? AcceptedNs
    {
        get => Time(acceptedNs);
        internal set => acceptedNs = value ?? NoTime;
    }

    /// <summary>-> CLOSE.</summary>
    public long? EndedNs
    {
        get => Time(endedNs);
        internal set => endedNs = value ?? NoTime;
    }

    /// <summary>The states it went through, the first one being the state it was in when first seen (made on each call).</summary>
    public IReadOnlyList<TcpState> Path
    {
        get
        {
            var states = new TcpState[PathLength];
            for (int i = 0; i < states.Length; i++)
            {
                states[i] = PathAt(i);
            }

            return states;
        }
    }

    /// <summary>How many states <see cref="Path"/> holds.</summary>
    public int PathLength => pathCount;

    /// <summary>When each retransmit in SYN_SENT (of the SYN) happened (made on each call).</summary>
    public IReadOnlyList<long> SynRetransmitsNs => synRetransmits is null ? [] : synRetransmits[..synRetransmitCount];

    /// <summary>How many SYN retransmits <see cref="SynRetransmitsNs"/> holds.</summary>
    public int SynRetransmitCount => synRetransmitCount;

    /// <summary>Retransmits in any state.</summary>
    public int Retransmits { get; internal set; }

    /// <summary>The state in which an RST was received, if one was.</summary>
    public TcpState? ResetReceivedIn
    {
        get => resetReceivedIn == NoState ? null : (TcpState)resetReceivedIn;
        internal set => resetReceivedIn = value is TcpState s ? (byte)s : NoState;
    }

    public int ResetsSent
    {
        get => rare?.ResetsSent ?? 0;
        internal set => Extra().ResetsSent = value;
    }

    /// <summary>RSTs sent while in SYN_SENT: the answer to an ACK that did not acknowledge the SYN.</summary>
    public int ResetsSentInSynSent
    {
        get => rare?.ResetsSentInSynSent ?? 0;
        internal set => Extra().ResetsSentInSynSent = value;
    }

    /// <summary>The kernel's reason for the last RST sent ("TCP_INVALID_ACK_SEQUENCE"), if it has reasons.</summary>
    public string? LastResetReason
    {
        get => rare?.LastResetReason;
        internal set => Extra().LastResetReason = value;
    }

    /// <summary>The state the socket was in when it sent its last RST.</summary>
    public TcpState? LastResetSentIn
    {
        get => rare?.LastResetSentIn;
        internal set => Extra().LastResetSentIn = value;
    }

    /// <summary>The last non-zero error the kernel reported to the application (errno).</summary>
    public int? SocketError
    {
        get => socketError == NoValue ? null : socketError;
        internal set => socketError = value ?? NoValue;
    }

    /// <summary>The last ICMP error that arrived for it: what it said, who sent it, the errno it became.</summary>
    public IcmpError? Icmp
    {
        get => rare?.Icmp;
        internal set => Extra().Icmp = value;
    }

    /// <summary>What connect() returned: 0 or -errno (-EINPROGRESS for a non-blocking connect).</summary>
    public int? ConnectReturn
    {
        get => connectReturn == NoValue ? null : connectReturn;
        internal set => connectReturn = value ?? NoValue;
    }

    public SocketTotals? Totals
    {
        get => totals?.Value;
        internal set => totals = value is SocketTotals t ? new StrongBox<SocketTotals>(t) : null;
    }

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
    public ulong[]? KernelStack
    {
        get => rare?.KernelStack;
        internal set => Extra().KernelStack = value;
    }

    /// <summary>User stack of the connect() call (with --stacks), in <see cref="UserStackPid"/>'s address space.</summary>
    public ulong[]? UserStack
    {
        get => rare?.UserStack;
        internal set => Extra().UserStack = value;
    }

    public uint UserStackPid
    {
        get => rare?.UserStackPid ?? 0;
        internal set => Extra().UserStackPid = value;
    }

    /// <summary>Its steps in order (made on each call).</summary>
    public IReadOnlyList<TimelineEntry> Timeline
    {
        get
        {
            var entries = new TimelineEntry[timelineCount];
            for (int i = 0; i < entries.Length; i++)
            {
                Step s = StepAt(i);
                entries[i] = new TimelineEntry(s.TimestampNs, s.Event == NoEvent ? null : (SocketEventKind)s.Event, (TcpState)s.From, (TcpState)s.To, s.Value);
            }

            return entries;
        }
    }

    public int TimelineDropped => rare?.TimelineDropped ?? 0;

    /// <summary>The <paramref name="i"/>-th state of <see cref="Path"/>.</summary>
    public TcpState PathAt(int i) =>
        i < InlinePath ? (TcpState)((pathLow >> (4 * i)) & 0xf) : pathMore![i - InlinePath];

    /// <summary>When the client first reset an ACK in SYN_SENT (a bare ACK to its SYN), if the timeline holds it.</summary>
    public long? FirstResetSentInSynSentNs()
    {
        for (int i = 0; i < timelineCount; i++)
        {
            Step s = StepAt(i);
            if (s.Event == (byte)SocketEventKind.ResetSent && s.To == (byte)TcpState.SYN_SENT)
            {
                return s.TimestampNs;
            }
        }

        return null;
    }

    /// <summary>
    /// Time from its opening (or, when <see cref="OpenSeen"/> is false, from the first event
    /// seen: a lower bound) to the end, or to its last event when <see cref="Incomplete"/>, or
    /// to <paramref name="nowNs"/> while open.
    /// </summary>
    public long LifetimeNs(long nowNs) =>
        (endedNs != NoTime ? endedNs : EndLost ? LastSeenNs : nowNs) - (connectStartNs != NoTime ? connectStartNs : FirstSeenNs);
}

using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>
/// The connections of a trace, one per (network namespace, socket), each folding its events
/// into a timeline. Milestones that end something (a connect attempt, the socket) are told to
/// the observers at the end of the batch that carried them, so the records the kernel sends
/// just after (the stack where it ended, what connect() returned) are already in. Memory is
/// bounded: beyond <see cref="Capacity"/> open connections new ones are counted, not followed.
/// Listeners are not connections and are not kept here.
/// </summary>
public sealed class ConnectionTable(IReadOnlyList<IConnectionObserver> observers, KernelEnums? enums = null, int capacity = ConnectionTable.DefaultCapacity) : IEventSink
{
    public const int DefaultCapacity = 65536;

    private readonly Dictionary<(uint, ulong), Connection> live = [];
    private readonly Dictionary<(uint, ulong), Connection> ending = [];
    private readonly List<Milestone> pending = [];
    private readonly KernelEnums enums = enums ?? KernelEnums.BuiltIn;

    public int Capacity { get; } = capacity;

    /// <summary>Connections not followed because the table was full.</summary>
    public long Untracked { get; private set; }

    /// <summary>Open connections now.</summary>
    public IReadOnlyCollection<Connection> Open => live.Values;

    public void OnStateChange(in StateChange e)
    {
        if (e.NewState == TcpState.LISTEN || e.OldState == TcpState.LISTEN && e.NewState == TcpState.CLOSE)
        {
            return;
        }

        var key = (e.NetNs, e.Socket);
        if (!live.TryGetValue(key, out Connection? c))
        {
            if (e.NewState == TcpState.CLOSE && ending.ContainsKey(key))
            {
                return; // a second CLOSE of a socket that already ended (e.g. CLOSE>CLOSE)
            }

            c = Create(key, e.TimestampNs);
            if (c is null)
            {
                return;
            }
        }

        Apply(c, in e);
        if (e.OldState == TcpState.SYN_SENT)
        {
            pending.Add(new Milestone(e.TimestampNs, MilestoneKind.ConnectEnded, c));
        }

        if (e.NewState == TcpState.CLOSE)
        {
            live.Remove(key);
            ending[key] = c;
            pending.Add(new Milestone(e.TimestampNs, MilestoneKind.Closed, c));
        }
    }

    public void OnSocketEvent(in SocketEvent e)
    {
        var key = (e.NetNs, e.Socket);
        Connection? c = Find(key);
        if (c is null)
        {
            if (e.Kind != SocketEventKind.Accept || (c = Create(key, e.TimestampNs)) is null)
            {
                return;
            }

            c.Origin = ConnectionOrigin.Passive;
            c.AddState(e.State, e.State);
        }

        if (c.LocalPort == 0 || c.RemotePort == 0)
        {
            SetEndpoints(c, e.Family, e.LocalAddress, e.LocalPort, e.RemoteAddress, e.RemotePort);
        }

        c.Add(new TimelineEntry(e.TimestampNs, e.Kind, e.State, e.State, e.Value));
        switch (e.Kind)
        {
            case SocketEventKind.Retransmit:
                c.Retransmits++;
                if (e.State == TcpState.SYN_SENT)
                {
                    c.AddSynRetransmit(e.TimestampNs);
                }

                break;
            case SocketEventKind.ResetReceived:
                c.ResetReceivedIn = e.State;
                break;
            case SocketEventKind.ResetSent:
                c.ResetsSent++;
                c.LastResetReason = enums.ResetReason(e.Value);
                if (e.State == TcpState.SYN_SENT)
                {
                    c.ResetsSentInSynSent++;
                }

                break;
            case SocketEventKind.SocketError:
                c.SocketError = e.Value;
                break;
            case SocketEventKind.Accept:
                c.AcceptedNs = e.TimestampNs;
                c.OwnerPid = e.TaskPid;
                c.OwnerCommBytes = e.TaskComm;
                c.OwnerSource = OwnerSource.Accept;
                pending.Add(new Milestone(e.TimestampNs, MilestoneKind.Accepted, c));
                break;
            case SocketEventKind.ConnectReturn:
                c.ConnectReturn = e.Value;
                break;
        }
    }

    public void OnTotals(in SocketTotals e)
    {
        if (Find((e.NetNs, e.Socket)) is { } c)
        {
            c.Totals = e;
        }
    }

    public void OnIcmpError(in IcmpError e)
    {
        if (Find((e.NetNs, e.Socket)) is { } c)
        {
            c.Icmp = e;
            c.Add(new TimelineEntry(e.TimestampNs, SocketEventKind.IcmpError, e.State, e.State, e.Error));
        }
    }

    public void OnStack(StackSample e)
    {
        var key = (e.NetNs, e.Socket);
        // the stack where an attempt ended follows that socket's last event: prefer the one that just ended
        Connection? c = e.Where == StackWhere.KernelAtEnd ? ending.GetValueOrDefault(key) ?? Find(key) : Find(key);
        if (c is null)
        {
            return;
        }

        if (e.Where == StackWhere.KernelAtEnd)
        {
            c.KernelStack = e.Frames.ToArray();
        }
        else
        {
            c.UserStack = e.Frames.ToArray();
            c.UserStackPid = e.TaskPid;
        }
    }

    public void OnIdle(long monotonicNowNs)
    {
        // a batch holds each CPU's events in turn: observers see them in time order (OrderBy is stable for equal times)
        foreach (Milestone m in pending.OrderBy(m => m.TimestampNs))
        {
            // made once for every observer; null if the trace missed the connect()
            ConnectAttempt? attempt = m.Kind == MilestoneKind.ConnectEnded ? ConnectAttempt.From(m.Connection) : null;
            foreach (IConnectionObserver o in observers)
            {
                switch (m.Kind)
                {
                    case MilestoneKind.ConnectEnded:
                        if (attempt is not null)
                        {
                            o.OnConnectEnded(attempt);
                        }

                        break;
                    case MilestoneKind.Accepted:
                        o.OnAccepted(m.Connection);
                        break;
                    default:
                        o.OnClosed(m.Connection);
                        break;
                }
            }
        }

        pending.Clear();
        ending.Clear();
    }

    private enum MilestoneKind
    {
        ConnectEnded,
        Accepted,
        Closed,
    }

    private readonly record struct Milestone(long TimestampNs, MilestoneKind Kind, Connection Connection);

    private Connection? Find((uint, ulong) key) => live.GetValueOrDefault(key) ?? ending.GetValueOrDefault(key);

    private Connection? Create((uint NetNs, ulong Socket) key, long ns)
    {
        if (live.Count >= Capacity)
        {
            Untracked++;
            return null;
        }

        var c = new Connection(key.NetNs, key.Socket, ns);
        live[key] = c;
        return c;
    }

    private static void Apply(Connection c, in StateChange e)
    {
        SetEndpoints(c, e.Family, e.LocalAddress, e.LocalPort, e.RemoteAddress, e.RemotePort);
        if (e.OwnerKnown)
        {
            bool accepted = c.OwnerSource == OwnerSource.Accept && c.OwnerPid == e.OwnerPid;
            c.OwnerPid = e.OwnerPid;
            c.OwnerCommBytes = e.OwnerComm;
            c.OwnerSource = accepted ? OwnerSource.Accept
                : (e.Flags & StateEventFlags.OwnerFromListener) != 0 ? OwnerSource.Listener
                : OwnerSource.Syscall;
        }

        c.Add(new TimelineEntry(e.TimestampNs, null, e.OldState, e.NewState, 0));
        c.AddState(e.OldState, e.NewState);
        switch (e.OldState, e.NewState)
        {
            case (TcpState.CLOSE, TcpState.SYN_SENT):
                c.Origin = ConnectionOrigin.Active;
                c.ConnectStartNs = e.TimestampNs;
                break;
            case (TcpState.LISTEN, TcpState.SYN_RECV):
                c.Origin = ConnectionOrigin.Passive;
                break;
            case (TcpState.SYN_SENT or TcpState.SYN_RECV, TcpState.ESTABLISHED):
                c.EstablishedNs = e.TimestampNs;
                break;
            case (_, TcpState.CLOSE):
                c.EndedNs = e.TimestampNs;
                break;
        }
    }

    private static void SetEndpoints(Connection c, AddressFamilyKind family, in AddressBytes local, ushort localPort, in AddressBytes remote, ushort remotePort)
    {
        c.Family = family;
        if (localPort != 0)
        {
            c.LocalAddress = local;
            c.LocalPort = localPort;
        }
        else if (c.LocalPort == 0)
        {
            c.LocalAddress = local;
        }

        if (remotePort != 0)
        {
            c.RemoteAddress = remote;
            c.RemotePort = remotePort;
        }
    }
}

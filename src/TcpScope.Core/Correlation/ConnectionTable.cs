using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>
/// The connections of a trace, one per (network namespace, socket), each folding its events
/// into a timeline. Milestones that end something (a connect attempt, the socket) are told to
/// the observers at the end of the batch that carried them, so the records the kernel sends
/// just after (the stack where it ended, what connect() returned) are already in. Memory is
/// bounded: when <see cref="Capacity"/> connections are open, those that saw no event for
/// <see cref="IdleExpiry"/> are forgotten to make room (<see cref="Expired"/>); if none is that
/// idle, new ones are counted, not followed (<see cref="Untracked"/>). Listeners are not
/// connections and are not kept here.
/// </summary>
/// <remarks>
/// A socket's address is reused for the next socket as soon as it is freed, and events can be
/// lost when the ring is full: a record never folds two sockets together. An event that does
/// not continue the record (a transition whose old state is not the record's last state, a
/// socket event in another state than the record's) ends that record as incomplete and starts
/// a new one.
/// <para>
/// Stacks (struct ts_stack_event) are matched to their record by the timestamp they share:
/// the table keeps that index only when told stacks will come (<c>expectStacks</c>), as it
/// costs a dictionary entry per attempt.
/// </para>
/// <para>
/// Idle connections expire only when the table is full, as in <see cref="BoundedTable{TKey, TValue}"/>:
/// a connection that sends nothing for hours is kept while there is room. An expired connection
/// is told to no observer; if it shows up again, its events start a record of a socket older
/// than the trace (its lifetime a lower bound).
/// </para>
/// </remarks>
public sealed partial class ConnectionTable(IReadOnlyList<IConnectionObserver> observerList, KernelEnums? enums = null, int capacity = ConnectionTable.DefaultCapacity, bool expectStacks = false, TimeSpan? idleExpiry = null) : IEventSink, IShortfalls
{
    public const int DefaultCapacity = 131072;

    /// <summary>How long a connection goes without events before a full table may forget it.</summary>
    public static readonly TimeSpan DefaultIdleExpiry = TableExpiry.Default;

    // an array: a foreach over an interface list allocates an enumerator per milestone
    private readonly IConnectionObserver[] observers = [.. observerList];

    private readonly Dictionary<(uint, ulong), Connection> live = [];
    private readonly Dictionary<(uint, ulong), Connection> ending = [];
    private readonly List<Milestone> pending = [];
    private readonly KernelEnums enums = enums ?? KernelEnums.BuiltIn;
    private readonly long idleExpiryNs = TableExpiry.ToNs(idleExpiry ?? DefaultIdleExpiry);

    // when a full table can next find a connection idle for the expiry (none can before): a full
    // table under a storm of new connections does not scan itself for each of them
    private long nextSweepNs = long.MinValue;

    public int Capacity { get; } = capacity;

    public TimeSpan IdleExpiry => TimeSpan.FromMilliseconds(idleExpiryNs / 1_000_000);

    /// <summary>Open connections forgotten after <see cref="IdleExpiry"/> without events, to make room.</summary>
    public long Expired { get; private set; }

    /// <summary>Connections not followed because the table was full.</summary>
    public long Untracked { get; private set; }

    /// <summary>Records that miss something because records of their socket were lost.</summary>
    public long Incomplete { get; private set; }

    public IEnumerable<Shortfall> Shortfalls =>
    [
        new("connections_not_followed", Untracked, "connections not followed: the connection table was full (raise it with --max-sockets)"),
        new("connections_expired", Expired, $"connections forgotten after {IdleExpiry.TotalMinutes:0} min without events, to make room in the full connection table"),
        new("records_incomplete", Incomplete, "records incomplete: records of their socket were lost (a bigger --ring-size helps)"),
    ];

    public void OnStateChange(in StateChange e)
    {
        var key = (e.NetNs, e.Socket);
        if (e.NewState == TcpState.LISTEN || e.OldState == TcpState.LISTEN && e.NewState == TcpState.CLOSE)
        {
            if (TryGetOpen(key, out Connection? before))
            {
                Interrupt(key, before, e.TimestampNs);
            }

            return;
        }

        if (e.OldState == TcpState.CLOSE && e.NewState == TcpState.CLOSE)
        {
            // a second CLOSE: the socket already ended; if its first CLOSE was lost, here is where its record stops
            if (TryGetOpen(key, out Connection? unended))
            {
                Interrupt(key, unended, e.TimestampNs);
            }

            return;
        }

        bool afterLoss = (e.Flags & StateEventFlags.AfterLoss) != 0;
        // after a loss the record cannot be continued: what was lost may have been this socket's
        // CLOSE and the next socket's opening at the same address
        if (TryGetOpen(key, out Connection? c) && (e.OldState != c.State || afterLoss))
        {
            Interrupt(key, c, e.TimestampNs);
            c = null;
        }

        if (c is null)
        {
            c = Create(key, e.TimestampNs, opening: e.OldState is TcpState.CLOSE or TcpState.LISTEN);
            if (c is null)
            {
                TakeTotals(key);
                return;
            }

            c.StartLost = afterLoss;
        }

        if (afterLoss)
        {
            c.StartLost = true;
            MarkIncomplete(c);
        }

        Apply(c, in e);
        if (e.OldState == TcpState.SYN_SENT)
        {
            pending.Add(new Milestone(e.TimestampNs, MilestoneKind.ConnectEnded, c, pending.Count));
            if (expectStacks)
            {
                stackOwners[(e.NetNs, e.Socket, e.TimestampNs)] = c;
            }
        }

        if (e.NewState == TcpState.CLOSE)
        {
            // the kernel sends the totals just before the CLOSE they belong to
            if (TakeTotals(key) is SocketTotals totals)
            {
                c.Totals = totals;
                if ((totals.Flags & TotalsFlags.AfterLoss) != 0)
                {
                    MarkIncomplete(c);
                }
            }

            live.Remove(key);
            ending[key] = c;
            pending.Add(new Milestone(e.TimestampNs, MilestoneKind.Closed, c, pending.Count));
        }
    }

    public void OnSocketEvent(in SocketEvent e)
    {
        // a listener's own events (resets it sent for segments that reached it) are not a connection's
        if (e.State == TcpState.LISTEN)
        {
            return;
        }

        var key = (e.NetNs, e.Socket);
        if (e.Kind == SocketEventKind.Gone)
        {
            // its CLOSE record was lost: the record ends where it was last seen
            if (TryGetOpen(key, out Connection? gone))
            {
                Interrupt(key, gone, e.TimestampNs);
            }

            return;
        }

        Connection? c = Find(key);
        if (c is not null && (StateTold(e.Kind) && e.State != c.State || e.AfterLoss))
        {
            if (live.ContainsKey(key))
            {
                Interrupt(key, c, e.TimestampNs);
            }

            c = null;
        }

        if (c is null)
        {
            // an accepted socket whose handshake the trace did not see, or events of a socket whose
            // transitions were lost; not the late events of a socket that closed a batch ago
            if (e.Kind != SocketEventKind.Accept && !StateTold(e.Kind) || e.State == TcpState.CLOSE
                || (c = Create(key, e.TimestampNs, opening: e.Kind == SocketEventKind.Accept)) is null)
            {
                return;
            }

            if (e.Kind == SocketEventKind.Accept)
            {
                c.Origin = ConnectionOrigin.Passive;
            }

            c.SetFirstState(e.State);
            c.StartLost = e.AfterLoss;
        }

        if (e.AfterLoss)
        {
            c.StartLost = true;
            MarkIncomplete(c);
        }

        if (c.LocalPort == 0 || c.RemotePort == 0)
        {
            SetEndpoints(c, e.Family, e.LocalAddress, e.LocalPort, e.RemoteAddress, e.RemotePort);
        }

        c.Add(e.TimestampNs, e.Kind, e.State, e.State, e.Value);
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
                c.LastResetSentIn = e.State;
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
                pending.Add(new Milestone(e.TimestampNs, MilestoneKind.Accepted, c, pending.Count));
                break;
            case SocketEventKind.ConnectReturn:
                c.ConnectReturn = e.Value;
                if (expectStacks)
                {
                    stackOwners[(e.NetNs, e.Socket, e.TimestampNs)] = c;
                }

                break;
        }
    }

    public void OnTotals(in SocketTotals e) => closingTotals[(e.NetNs, e.Socket)] = e;

    public void OnIcmpError(in IcmpError e)
    {
        if (Find((e.NetNs, e.Socket)) is { } c)
        {
            c.Icmp = e;
            c.Add(e.TimestampNs, SocketEventKind.IcmpError, e.State, e.State, e.Error);
        }
    }

    public void OnIdle(long monotonicNowNs)
    {
        // a batch holds each CPU's events in turn: observers see them in time order, equal times
        // in the order they came (a sort in place, as this runs for every batch)
        pending.Sort(static (a, b) => a.TimestampNs != b.TimestampNs ? a.TimestampNs.CompareTo(b.TimestampNs) : a.Order.CompareTo(b.Order));
        foreach (Milestone m in pending)
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
        AgeDeferred();
        Quieten();
    }

    private enum MilestoneKind
    {
        ConnectEnded,
        Accepted,
        Closed,
    }

    /// <param name="Order">Its place in the batch: equal times keep the order they came in.</param>
    private readonly record struct Milestone(long TimestampNs, MilestoneKind Kind, Connection Connection, int Order);

    /// <summary>Kinds whose event carries the socket's state as it was under the socket's lock, in the ring's order.</summary>
    private static bool StateTold(SocketEventKind kind) =>
        kind is SocketEventKind.Retransmit or SocketEventKind.ResetReceived or SocketEventKind.ResetSent or SocketEventKind.SocketError;

    private Connection? Find((uint, ulong) key) => TryGetOpen(key, out Connection? c) ? c : ending.GetValueOrDefault(key);

    /// <summary>Ends a record whose next events were lost: it is told as closed, marked incomplete.</summary>
    private void Interrupt((uint, ulong) key, Connection c, long ns)
    {
        live.Remove(key);
        c.EndLost = true;
        MarkIncomplete(c);
        pending.Add(new Milestone(ns, MilestoneKind.Closed, c, pending.Count));
    }

    private void MarkIncomplete(Connection c)
    {
        if (!c.Incomplete)
        {
            c.Incomplete = true;
            Incomplete++;
        }
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

        c.Add(e.TimestampNs, null, e.OldState, e.NewState, 0);
        c.AddState(e.OldState, e.NewState);
        switch (e.OldState, e.NewState)
        {
            case (TcpState.CLOSE, TcpState.SYN_SENT):
                c.Origin = ConnectionOrigin.Active;
                c.ConnectStartNs = e.TimestampNs;
                c.OpenSeen = true;
                break;
            case (TcpState.LISTEN, TcpState.SYN_RECV):
                c.Origin = ConnectionOrigin.Passive;
                c.OpenSeen = true;
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

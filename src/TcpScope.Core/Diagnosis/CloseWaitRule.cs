using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Sockets left in CLOSE_WAIT: the peer closed its side (FIN received, ESTABLISHED ->
/// CLOSE_WAIT) and the owning application has not called close() for longer than the
/// threshold. The kernel never times CLOSE_WAIT out and no later event fires, so the only
/// sign is an entry into the state without an exit. One finding per owning process and
/// local endpoint, listing its sockets.
/// </summary>
/// <remarks>
/// Both tables are bounded and count what they drop. Sockets still in CLOSE_WAIT do not expire:
/// the kernel never times the state out, and the oldest leak is the one to tell; a socket whose
/// close the trace lost leaves when its address is reused (its next CLOSE). Sockets that closed
/// late are history: when room is needed, those closed longer than the expiry ago are dropped first.
/// </remarks>
public sealed class CloseWaitRule(TimeSpan threshold, int maxTracked, TimeSpan expiry) : IRule, IShortfalls
{
    public const string RuleId = "TCP-CLOSE-WAIT-LEAK";
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromSeconds(10);

    /// <summary>Sockets followed in CLOSE_WAIT, and sockets kept that closed late: memory stays bounded however many leak.</summary>
    public const int DefaultMaxTracked = 65536;

    private readonly long thresholdNs = (long)threshold.TotalMilliseconds * 1_000_000;
    private readonly Dictionary<(uint NetNs, ulong Socket), Waiting> waiting = [];

    // in the order they closed, oldest first
    private readonly Queue<Waiting> closedLate = [];
    private readonly long expiryNs = TableExpiry.ToNs(expiry);

    public CloseWaitRule()
        : this(DefaultThreshold)
    {
    }

    public CloseWaitRule(TimeSpan threshold)
        : this(threshold, DefaultMaxTracked, TableExpiry.Default)
    {
    }

    public string Id => RuleId;

    /// <summary>Sockets that entered CLOSE_WAIT while the table was full: not followed.</summary>
    public long NotTracked { get; private set; }

    /// <summary>Sockets that closed late, dropped after the expiry to make room.</summary>
    public long ClosedLateExpired { get; private set; }

    /// <summary>Sockets that closed late, not kept: the table was full of recent ones.</summary>
    public long ClosedLateNotKept { get; private set; }

    public IEnumerable<Shortfall> Shortfalls =>
    [
        new("close_wait_not_tracked", NotTracked, $"sockets entering CLOSE_WAIT not followed: {maxTracked} were already (not in the findings)"),
        new("close_wait_closed_late_expired", ClosedLateExpired, $"sockets that closed late dropped from the findings {expiry.TotalMinutes:0} min after, to make room"),
        new("close_wait_closed_late_not_kept", ClosedLateNotKept, $"sockets that closed late not kept: {maxTracked} more recent ones were (not in the findings)"),
    ];

    public void OnStateChange(in StateChange e)
    {
        var key = (e.NetNs, e.Socket);
        if (e.NewState == TcpState.CLOSE_WAIT)
        {
            if (waiting.Count >= maxTracked && !waiting.ContainsKey(key))
            {
                NotTracked++;
                return;
            }

            waiting[key] = new Waiting(e); // a copy of the event; text is made only for findings
        }
        else if (e.OldState == TcpState.CLOSE_WAIT && waiting.Remove(key, out Waiting w))
        {
            if (e.TimestampNs - w.SinceNs >= thresholdNs)
            {
                KeepClosedLate(w with { ClosedAfterNs = e.TimestampNs - w.SinceNs }, e.TimestampNs);
            }
        }
        else if (e.NewState == TcpState.CLOSE)
        {
            waiting.Remove(key); // the address was reused by a new socket
        }
    }

    // CLOSE_WAIT is entered and left by transitions alone; nothing else tells this rule anything
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

    public void OnDrop(in PacketDrop e)
    {
    }

    public void OnIdle(long monotonicNowNs)
    {
    }

    public IReadOnlyList<Finding> Evaluate(long monotonicNowNs)
    {
        IEnumerable<Waiting> over = waiting.Values.Where(w => monotonicNowNs - w.SinceNs >= thresholdNs).Concat(closedLate);
        return over
            .GroupBy(w => (w.NetNs, w.OwnerPid, w.Owner, w.Local))
            .OrderBy(g => g.Key.Local, StringComparer.Ordinal)
            .Select(g => ToFinding(g.Key.NetNs, g.Key.OwnerPid, g.Key.Owner, g.Key.Local, g.ToList(), monotonicNowNs))
            .ToList();
    }

    private void KeepClosedLate(Waiting w, long nowNs)
    {
        while (closedLate.Count >= maxTracked && closedLate.TryPeek(out Waiting oldest) && nowNs - oldest.ClosedNs >= expiryNs)
        {
            closedLate.Dequeue();
            ClosedLateExpired++;
        }

        if (closedLate.Count >= maxTracked)
        {
            ClosedLateNotKept++;
            return;
        }

        closedLate.Enqueue(w);
    }

    private Finding ToFinding(uint netns, uint pid, string owner, string local, List<Waiting> sockets, long nowNs)
    {
        string who = pid != 0 ? $"{owner} (pid {pid})" : "an unknown process";
        int stuck = sockets.Count(s => s.ClosedAfterNs is null);
        var evidence = sockets
            .OrderBy(s => s.SinceNs)
            .Select(s => s.ClosedAfterNs is long closed
                ? $"{s.Local} <- {s.Remote}: peer closed, the application closed {Seconds(closed)} later"
                : $"{s.Local} <- {s.Remote}: in CLOSE_WAIT for {Seconds(nowNs - s.SinceNs)}, still open")
            .ToList();
        string title = stuck > 0
            ? $"{who} has not closed {stuck} connection(s) on {local} that the peer closed more than {Seconds(thresholdNs)} ago"
            : $"{who} closed connection(s) on {local} more than {Seconds(thresholdNs)} after the peer did";
        return new Finding(
            RuleId,
            Severity.Warning,
            title,
            $"{who}, {local}, netns {netns}",
            evidence,
            "The peer sent FIN, so the kernel moved the socket to CLOSE_WAIT and now waits for the "
            + "application to call close(). CLOSE_WAIT has no timer: until the process closes the file "
            + "descriptor, the socket, its buffers and the descriptor stay allocated, and a server that "
            + "keeps doing this runs out of descriptors or memory. The usual cause is a code path that "
            + "stops using a connection without closing it (an error path, a pool that never evicts, a "
            + "reader that does not treat end-of-stream as the end).",
            $"Find where {who} reads from these connections and make sure a read that returns 0 (end of "
            + "stream) or an error leads to close(); check connection pools for eviction of closed peers. "
            + $"`ss -tanp state close-wait` lists the sockets and their owners now.");
    }

    private static string Seconds(long ns) => (ns / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private readonly record struct Waiting(StateChange Entry)
    {
        public long? ClosedAfterNs { get; init; }

        public long SinceNs => Entry.TimestampNs;

        public long ClosedNs => SinceNs + (ClosedAfterNs ?? 0);

        public uint NetNs => Entry.NetNs;

        public uint OwnerPid => Entry.OwnerKnown ? Entry.OwnerPid : 0;

        public string Owner => Entry.OwnerKnown ? CommText.ToString(Entry.OwnerComm) : "";

        public string Local => AddressText.Endpoint(Entry.Family, Entry.LocalAddress, Entry.LocalPort);

        public string Remote => AddressText.Endpoint(Entry.Family, Entry.RemoteAddress, Entry.RemotePort);
    }

    // the transitions tell all: a connection's milestones add nothing
    public void OnConnectEnded(ConnectAttempt a)
    {
    }

    public void OnAccepted(Connection c)
    {
    }

    public void OnClosed(Connection c)
    {
    }

    // no attempt is ever in CLOSE_WAIT
    public void OnConnectInProgress(ConnectAttempt a)
    {
    }
}

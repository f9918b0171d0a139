using System.Globalization;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Sockets left in CLOSE_WAIT: the peer closed its side (FIN received, ESTABLISHED ->
/// CLOSE_WAIT) and the owning application has not called close() for longer than the
/// threshold. The kernel never times CLOSE_WAIT out and no later event fires, so the only
/// sign is an entry into the state without an exit. One finding per owning process and
/// local endpoint, listing its sockets.
/// </summary>
public sealed class CloseWaitRule(TimeSpan threshold) : IRule
{
    public const string RuleId = "TCP-CLOSE-WAIT-LEAK";
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromSeconds(10);

    // memory stays bounded however many sockets leak; beyond this they are not itemised
    private const int MaxTracked = 65536;

    private readonly long thresholdNs = (long)threshold.TotalMilliseconds * 1_000_000;
    private readonly Dictionary<(uint NetNs, ulong Socket), Waiting> waiting = [];
    private readonly List<Waiting> closedLate = [];

    public CloseWaitRule()
        : this(DefaultThreshold)
    {
    }

    public string Id => RuleId;

    public void OnStateChange(in StateChange e)
    {
        var key = (e.NetNs, e.Socket);
        if (e.NewState == TcpState.CLOSE_WAIT)
        {
            if (waiting.Count >= MaxTracked)
            {
                return;
            }

            waiting[key] = new Waiting(e); // a copy of the event; text is made only for findings
        }
        else if (e.OldState == TcpState.CLOSE_WAIT && waiting.Remove(key, out Waiting w))
        {
            if (e.TimestampNs - w.SinceNs >= thresholdNs && closedLate.Count < MaxTracked)
            {
                closedLate.Add(w with { ClosedAfterNs = e.TimestampNs - w.SinceNs });
            }
        }
        else if (e.NewState == TcpState.CLOSE)
        {
            waiting.Remove(key); // the address was reused by a new socket
        }
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

        public uint NetNs => Entry.NetNs;

        public uint OwnerPid => Entry.OwnerKnown ? Entry.OwnerPid : 0;

        public string Owner => Entry.OwnerKnown ? CommText.ToString(Entry.OwnerComm) : "";

        public string Local => AddressText.Endpoint(Entry.Family, Entry.LocalAddress, Entry.LocalPort);

        public string Remote => AddressText.Endpoint(Entry.Family, Entry.RemoteAddress, Entry.RemotePort);
    }
}

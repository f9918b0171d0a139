using System.Net;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Diagnosis;
using TcpScope.Host;
using TcpScope.Lab;
using TcpScope.Output;
using TcpScope.Records;
using TcpScope.Sources;
using TcpScope.Sources.Sockets;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>Connections, attempts and reports as the pipeline makes them, to render in tests.</summary>
internal static class RecordSamples
{
    public const long Ms = 1_000_000;
    public const ulong Sk = 0xffff888108089280;

    /// <summary>Puts monotonic 0 at 2026-11-23 12:00:00 UTC.</summary>
    public static readonly WallClock Clock = new((new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100);

    /// <summary>curl (pid 42) to 198.18.0.2:81: two SYN retransmits, then ETIMEDOUT after 3.1 s.</summary>
    public static ConnectAttempt TimedOut()
    {
        var seen = new Capture();
        var t = new ConnectionTable([seen]);
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:81", 42, "curl"));
        t.OnSocketEvent(Sock(1012 * Ms, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT, local: "198.18.0.1:40170"));
        t.OnSocketEvent(Sock(2036 * Ms, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT, local: "198.18.0.1:40170"));
        t.OnStateChange(State(3100 * Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:0", "198.18.0.2:81", 42, "curl"));
        t.OnSocketEvent(Sock(3100 * Ms, Sk, SocketEventKind.SocketError, TcpState.CLOSE, 110));
        t.OnIdle(4000 * Ms);
        return ConnectAttempt.From(seen.Closed!)!;
    }

    /// <summary>curl (pid 7) 198.18.0.1:38674 -> 198.18.0.2:80: handshake 0.1 ms, 20 bytes out and 26 in, closed at 12 ms.</summary>
    public static Connection Closed()
    {
        var seen = new Capture();
        var t = new ConnectionTable([seen]);
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:80", 7, "curl"));
        t.OnStateChange(State(Ms / 10, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, "198.18.0.1:38674", "198.18.0.2:80", 7, "curl"));
        t.OnStateChange(State(12 * Ms, Sk, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, "198.18.0.1:38674", "198.18.0.2:80", 7, "curl"));
        t.OnTotals(Totals(12 * Ms, Sk, acked: 20, received: 26, TotalsFlags.FinAcked | TotalsFlags.FinReceived));
        t.OnStateChange(State(12 * Ms, Sk, TcpState.FIN_WAIT1, TcpState.CLOSE, "198.18.0.1:38674", "198.18.0.2:80", 7, "curl"));
        t.OnIdle(13 * Ms);
        return seen.Closed!;
    }

    public static Finding Finding() => new("TCP-X", Severity.Warning, "title", "subject", ["a", "b"], "why", "fix");

    public static RunSummary Summary() =>
        new(new SourceStats(10, 2, 0, SocketsNotFollowed: 5), "tp_btf/inet_sock_set_state", TimeSpan.FromSeconds(1.5));

    public static LabResult Lab() => new(
        "connect-timeout",
        "drop",
        ["client 1 connects"],
        [new ClientOutcome(1, OutcomeKind.KernelTimedOut, TimeSpan.FromSeconds(3.01234), 40170, "connect() timed out") { Comm = "lab-client" }],
        [new NamespaceReport(
            "client",
            "ts-c-1",
            4026532177,
            new Dictionary<string, long> { ["TcpExtTCPSynRetrans"] = 2 },
            [new SocketEntry(IPEndPoint.Parse("198.18.0.1:40170"), IPEndPoint.Parse("198.18.0.2:81"), TcpState.SYN_SENT, 0, 0, 1, 100, 0, 12345)])],
        TimeSpan.FromSeconds(3.5),
        new Dictionary<string, string> { ["server"] = "198.18.0.2:81" });

    public static DoctorRecord Doctor() => new(
        "6.18.0",
        true,
        "1.1.2",
        null,
        new Dictionary<string, bool> { ["CAP_BPF"] = true, ["CAP_SYS_ADMIN"] = false },
        "/sys/kernel/tracing",
        [new ProbeRecord("states", "handle_set_state_btf", "tp_btf/inet_sock_set_state", ProbeStatus.NotSupported, "no such tracepoint")],
        CoreWorks: true,
        Verbs: new Dictionary<string, bool> { ["states"] = true, ["life"] = false });

    public static StateChange StateChange() =>
        State(2_000_000_000, 0xffff888102e08940, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, "[fd00::2]:8080", "[fd00::1]:41000", deltaNs: 1_234_567);

    /// <summary>One of each record type TcpScope prints.</summary>
    public static IReadOnlyList<IOutputRecord> All()
    {
        var summary = new ConnectSummary();
        summary.Add(TimedOut());
        return
        [
            StateRecord.From(StateChange(), Clock),
            new LifeRecord(LifeEventKind.Connect, Ms / 10, Clock, Closed()),
            new LifeCloseRecord(12 * Ms, Clock, Closed()),
            new ConnectRecord(TimedOut(), null, Clock),
            new ConnectSummaryRecord(summary),
            FindingRecord.From(Finding()),
            SummaryRecord.From(Summary()),
            Doctor(),
            LabRecord.From(Lab()),
            DropRecord.From(Drop(Ms, "TCP_LISTEN_OVERFLOW", reasonNumber: 40, tcpFlags: 0x10, state: TcpState.LISTEN, socket: Sk, ownerPid: 4711, ownerComm: "server"), Clock, "tcp_v4_rcv+0x99"),
            ResetRecord.From(Drop(Ms, "NO_SOCKET", kind: DropKind.Reset, reasonNumber: 1), Clock),
            DropCountRecord.From(new DropCountRow(4026531840, 6, "NETFILTER_DROP", 0xffffffff81000000, null, 3, 7, 3.0), DropCountRecord.IntervalSpan, Ms, 1.0, Clock, "nf_hook_slow+0x9e"),
        ];
    }

    private sealed class Capture : IConnectionObserver
    {
        public Connection? Closed { get; private set; }

        public void OnClosed(Connection c) => Closed = c;

        // closes only
        public void OnConnectEnded(ConnectAttempt a)
        {
        }

        public void OnAccepted(Connection c)
        {
        }

        // not looked at here
        public void OnConnectInProgress(ConnectAttempt a)
        {
        }
    }
}

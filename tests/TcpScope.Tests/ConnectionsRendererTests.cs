using System.Text;
using System.Text.Json;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>`life` and `connect` records rendered into a writer.</summary>
public class ConnectionsRendererTests
{
    private const long Ms = 1_000_000;
    private const ulong Sk = 0xffff888108089280;

    // an offset that puts monotonic 0 at a fixed wall-clock time
    private static readonly long WallOffset = (new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100;

    private static (Connection Closed, ConnectAttempt Attempt) TimedOutAttempt()
    {
        var seen = new Capture();
        var t = new ConnectionTable([seen]);
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:81", 42, "curl"));
        t.OnSocketEvent(Sock(1012 * Ms, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT, local: "198.18.0.1:40170"));
        t.OnSocketEvent(Sock(2036 * Ms, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT, local: "198.18.0.1:40170"));
        t.OnStateChange(State(3100 * Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:0", "198.18.0.2:81", 42, "curl"));
        t.OnSocketEvent(Sock(3100 * Ms, Sk, SocketEventKind.SocketError, TcpState.CLOSE, 110));
        t.OnIdle(4000 * Ms);
        return (seen.Closed!, ConnectAttempt.From(seen.Closed!)!);
    }

    [Fact]
    public void Connect_text_line_has_owner_port_outcome_retransmits_and_error()
    {
        var output = new StringWriter();
        var r = new ConnectionsTextRenderer(output, TextWriter.Null, ConnectionsView.Connect, WallOffset);
        r.WriteHeader();
        r.WriteAttempt(TimedOutAttempt().Attempt, null);

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("TIME         PID     COMM            LOCAL", lines[0]);
        string expectedTime = ConnectionText.Time(0, WallOffset);
        Assert.Equal(
            $"{expectedTime} 42      curl            198.18.0.1:40170       198.18.0.2:81          timed out         3100.000  1.01,2.04  ETIMEDOUT (110)",
            lines[1]);
    }

    [Fact]
    public void Connect_line_of_an_icmp_error_names_the_message_and_its_sender()
    {
        var output = new StringWriter();
        new ConnectionsTextRenderer(output, TextWriter.Null, ConnectionsView.Connect, WallOffset).WriteAttempt(UnreachableAttempt(), null);

        Assert.EndsWith("unreachable          0.300  -  ECONNREFUSED (111)  ICMP port unreachable from 198.18.0.2", output.ToString().TrimEnd());
    }

    [Fact]
    public void Connect_json_of_an_icmp_error_has_the_message_and_its_sender()
    {
        var stream = new MemoryStream();
        using (var r = new ConnectionsJsonRenderer(stream, WallOffset))
        {
            r.WriteAttempt(UnreachableAttempt(), null);
        }

        using JsonDocument doc = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        JsonElement icmp = doc.RootElement.GetProperty("icmp");
        Assert.Equal("198.18.0.2", icmp.GetProperty("from").GetString());
        Assert.Equal((3, 3, 111), (icmp.GetProperty("type").GetInt32(), icmp.GetProperty("code").GetInt32(), icmp.GetProperty("errno").GetInt32()));
        Assert.Equal("port unreachable", icmp.GetProperty("text").GetString());
        Assert.Equal(111, doc.RootElement.GetProperty("errno").GetInt32());
    }

    private static ConnectAttempt UnreachableAttempt()
    {
        var seen = new Capture();
        var t = new ConnectionTable([seen]);
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:83", 42, "curl"));
        t.OnIcmpError(Icmp(Ms / 10, Sk));
        t.OnStateChange(State(3 * Ms / 10, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:40170", "198.18.0.2:83", 42, "curl"));
        t.OnIdle(Ms);
        return ConnectAttempt.From(seen.Closed!)!;
    }

    [Fact]
    public void Life_close_line_has_lifetime_payload_bytes_and_path()
    {
        var seen = new Capture();
        var t = new ConnectionTable([seen]);
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:80", 7, "curl"));
        t.OnStateChange(State(Ms / 10, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, "198.18.0.1:38674", "198.18.0.2:80", 7, "curl"));
        t.OnStateChange(State(12 * Ms, Sk, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, "198.18.0.1:38674", "198.18.0.2:80", 7, "curl"));
        t.OnTotals(Totals(12 * Ms, Sk, acked: 20, received: 26, TotalsFlags.FinAcked | TotalsFlags.FinReceived));
        t.OnStateChange(State(12 * Ms, Sk, TcpState.FIN_WAIT1, TcpState.CLOSE, "198.18.0.1:38674", "198.18.0.2:80", 7, "curl"));
        var output = new StringWriter();
        var r = new ConnectionsTextRenderer(output, TextWriter.Null, ConnectionsView.Life, WallOffset);
        var view = new LifeView(r);
        t.OnIdle(13 * Ms);
        view.OnConnectEnded(ConnectAttempt.From(seen.Closed!)!);
        view.OnClosed(seen.Closed!);

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("C 7       curl            4  198.18.0.1:38674       198.18.0.2:80               0.100", lines[0]);
        Assert.EndsWith("X 7       curl            4  198.18.0.1:38674       198.18.0.2:80              12.000         18         25 CLOSE>SYN_SENT>ESTABLISHED>FIN_WAIT1>CLOSE", lines[1]);
    }

    [Fact]
    public void Connect_json_has_stable_fields()
    {
        var stream = new MemoryStream();
        using (var r = new ConnectionsJsonRenderer(stream, WallOffset))
        {
            r.WriteAttempt(TimedOutAttempt().Attempt, new AttemptStacks(["tcp_done+0x2e"], null, "process 42 exited before its symbols could be read"));
        }

        using JsonDocument doc = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        JsonElement e = doc.RootElement;
        Assert.Equal("connect", e.GetProperty("type").GetString());
        Assert.Equal("2026-11-23T12:00:00.000000Z", e.GetProperty("time").GetString());
        Assert.Equal((42, "curl", "syscall"), (e.GetProperty("pid").GetInt32(), e.GetProperty("comm").GetString(), e.GetProperty("owner_from").GetString()));
        Assert.Equal(40170, e.GetProperty("lport").GetInt32());
        Assert.Equal("timed_out", e.GetProperty("outcome").GetString());
        Assert.Equal(3100.0, e.GetProperty("duration_ms").GetDouble());
        Assert.Equal([1.012, 2.036], e.GetProperty("syn_retransmits_s").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal((110, "ETIMEDOUT"), (e.GetProperty("errno").GetInt32(), e.GetProperty("error").GetString()));
        Assert.Equal("tcp_done+0x2e", e.GetProperty("kernel_stack")[0].GetString());
        Assert.False(e.TryGetProperty("user_stack", out _));
        Assert.StartsWith("process 42 exited", e.GetProperty("user_stack_note").GetString());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("icmp").ValueKind);
    }

    [Fact]
    public void Connect_summary_lists_destinations_with_outcomes()
    {
        var summary = new ConnectSummary();
        summary.Add(TimedOutAttempt().Attempt);
        var output = new StringWriter();
        new ConnectionsTextRenderer(output, TextWriter.Null, ConnectionsView.Connect, WallOffset).WriteConnectSummary(summary);

        string text = output.ToString();
        Assert.Contains("connect attempts: 1, failed: 1", text);
        Assert.Matches(@"198\.18\.0\.2:81\s+4026532177\s+1\s+0\s+0\s+1\s+0\s+0\s+0\s+0\s+-\s+-", text);
    }

    [Fact]
    public void An_attempt_still_in_syn_sent_when_the_trace_ends_is_listed_as_in_progress()
    {
        var output = new StringWriter();
        var renderer = new ConnectionsTextRenderer(output, TextWriter.Null, ConnectionsView.Connect, WallOffset);
        var view = new ConnectView(renderer, failedOnly: true);
        var table = new ConnectionTable([view]);
        table.OnStateChange(Events.State(1_000_000_000, 0xa, TcpState.CLOSE, TcpState.SYN_SENT));
        table.OnSocketEvent(Events.Sock(2_000_000_000, 0xa, SocketEventKind.Retransmit, TcpState.SYN_SENT));
        table.OnIdle(3_000_000_000);
        Assert.Equal("", output.ToString()); // nothing ended yet

        table.EndOfTrace(4_500_000_000);
        renderer.WriteConnectSummary(view.Summary);
        renderer.Flush();

        string text = output.ToString();
        Assert.Matches(@"in progress\s+3500\.000\s+1\.00", text); // 3.5 s in SYN_SENT so far, its retransmit 1 s after the SYN
        Assert.Contains("connect attempts: 1, failed: 0, still in progress at the end: 1", text);
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

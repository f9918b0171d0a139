using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>
/// Open connections without events for a whole batch are kept in a compact form and made into
/// objects again by their next event: what views and rules see must not change.
/// </summary>
public class QuietConnectionTests
{
    private const ulong Sk = 0xffff888108089280;
    private const long Ms = 1_000_000;
    private const long S = 1_000_000_000;

    [Fact]
    public void A_quiet_connection_is_shown_field_for_field()
    {
        var t = new ConnectionTable([]);
        long t0 = 7_000 * S + 123;
        t.OnStateChange(State(t0, Sk, TcpState.LISTEN, TcpState.SYN_RECV, "[fd00::2]:8080", "[fd00::1]:41234", 4711, "server"));
        t.OnStateChange(State(t0 + 250_001, Sk, TcpState.SYN_RECV, TcpState.ESTABLISHED, "[fd00::2]:8080", "[fd00::1]:41234", 4711, "server"));
        t.OnSocketEvent(Sock(t0 + (1500 * Ms), Sk, SocketEventKind.Accept, TcpState.ESTABLISHED, 7, "198.18.0.9:1", "198.18.0.8:2", 4712, "worker"));
        t.OnIdle(t0 + (2 * S)); // touched in this batch: stays an object
        Assert.Equal(0, t.QuietCount);
        t.OnIdle(t0 + (3 * S));
        Assert.Equal(1, t.QuietCount);

        Connection c = Assert.Single(t.Open);
        Assert.Equal((NetNs, Sk), (c.NetNs, c.Socket));
        Assert.Equal((t0, t0 + (1500 * Ms)), (c.FirstSeenNs, c.LastSeenNs));
        Assert.Equal(t0 + (1500 * Ms), c.AcceptedNs);
        Assert.Equal(t0 + 250_001, c.EstablishedNs);
        Assert.Null(c.ConnectStartNs);
        Assert.Null(c.EndedNs);
        Assert.Equal([TcpState.LISTEN, TcpState.SYN_RECV, TcpState.ESTABLISHED], c.Path);
        Assert.Equal(
            [
                new TimelineEntry(t0, null, TcpState.LISTEN, TcpState.SYN_RECV, 0),
                new TimelineEntry(t0 + 250_001, null, TcpState.SYN_RECV, TcpState.ESTABLISHED, 0),
                new TimelineEntry(t0 + (1500 * Ms), SocketEventKind.Accept, TcpState.ESTABLISHED, TcpState.ESTABLISHED, 7),
            ],
            c.Timeline);
        Assert.Equal(AddressFamilyKind.IPv6, c.Family);
        Assert.Equal("[fd00::2]:8080 [fd00::1]:41234", $"{AddressText.Endpoint(c.Family, c.LocalAddress, c.LocalPort)} {AddressText.Endpoint(c.Family, c.RemoteAddress, c.RemotePort)}");
        Assert.Equal((4712u, "worker", OwnerSource.Accept), (c.OwnerPid, c.OwnerComm, c.OwnerSource));
        Assert.Equal((ConnectionOrigin.Passive, TcpState.ESTABLISHED, true), (c.Origin, c.State, c.OpenSeen));
        Assert.Equal((false, false, false), (c.Incomplete, c.StartLost, c.EndLost));
    }

    [Fact]
    public void A_connection_with_what_few_have_or_times_too_far_apart_stays_an_object()
    {
        var t = new ConnectionTable([]);
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:80"));
        t.OnSocketEvent(Sock(S, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT)); // a SYN retransmit
        t.OnStateChange(State(0, Sk + 64, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:80"));
        t.OnStateChange(State(3 * S, Sk + 64, TcpState.SYN_SENT, TcpState.ESTABLISHED, "198.18.0.1:40000", "198.18.0.2:80")); // 3 s after
        t.OnIdle(4 * S);
        t.OnIdle(5 * S);

        Assert.Equal(0, t.QuietCount);
        Assert.Equal(2, t.Open.Count);
    }

    [Fact]
    public void Life_and_connect_lines_are_the_same_when_connections_go_quiet_between_their_events()
    {
        // the same connections and batches twice: a batch of every three events, and then an empty
        // batch after each (it tells nothing, but every connection not touched in it goes quiet and
        // is made again by its next event)
        string once = Render(quietBetween: false, out int quietOnce);
        string quiet = Render(quietBetween: true, out int quietMost);

        Assert.Equal(0, quietOnce);
        Assert.True(quietMost >= 100, $"connections quiet at batch ends: only {quietMost}");
        Assert.Equal(once.Split('\n'), quiet.Split('\n'));
    }

    [Fact]
    public void Quiet_connections_count_against_the_capacity_and_expire_when_idle()
    {
        var t = new ConnectionTable([], null, capacity: 2, idleExpiry: TimeSpan.FromSeconds(10));
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:80"));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, "198.18.0.1:40000", "198.18.0.2:80"));
        t.OnStateChange(State(0, Sk + 64, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:80"));
        t.OnIdle(2 * Ms);
        t.OnIdle(3 * Ms);
        Assert.Equal(2, t.QuietCount);

        t.OnStateChange(State(5 * S, Sk + 128, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:80"));
        Assert.Equal((1L, 0L), (t.Untracked, t.Expired));

        t.OnStateChange(State(20 * S, Sk + 192, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", "198.18.0.2:80"));
        Assert.Equal((1L, 2L), (t.Untracked, t.Expired));
        Assert.Equal(Sk + 192, Assert.Single(t.Open).Socket);
    }

    private static string Render(bool quietBetween, out int quietSeen)
    {
        var lines = new StringWriter();
        var renderer = new ConnectionsTextRenderer(lines, TextWriter.Null, ConnectionsView.Life, 0);
        var t = new ConnectionTable([new LifeView(renderer), new ConnectView(renderer, failedOnly: false)]);
        quietSeen = 0;
        var random = new Random(5);
        var events = new List<Action>();
        for (int i = 0; i < 200; i++)
        {
            ulong sk = Sk + ((ulong)i * 0x800);
            bool v6 = i % 3 == 0;
            string Ep(int last, int port) => v6 ? $"[fd00::{last}]:{port}" : $"198.18.{i % 7}.{last}:{port}";
            string local = Ep(1, 40000 + i), remote = Ep(2 + (i % 50), 80);
            long t0 = (i + 1) * 20 * S; // one after the other: milestones come in the same order however batches fall
            long gap = random.Next(3) switch { 0 => random.Next(1, 1000), 1 => random.Next(1, 1_000_000_000), _ => 3 * S }; // ns to seconds apart
            bool passive = i % 4 == 1;
            uint pid = i % 5 == 0 ? 0u : 100u + (uint)i;
            if (passive)
            {
                events.Add(() => t.OnStateChange(State(t0, sk, TcpState.LISTEN, TcpState.SYN_RECV, local, remote, pid, "srv")));
                events.Add(() => t.OnStateChange(State(t0 + gap, sk, TcpState.SYN_RECV, TcpState.ESTABLISHED, local, remote, pid, "srv")));
                events.Add(() => t.OnSocketEvent(Sock(t0 + (2 * gap), sk, SocketEventKind.Accept, TcpState.ESTABLISHED, 9, local, remote, pid + 1, "worker")));
                events.Add(() => t.OnStateChange(State(t0 + (3 * gap), sk, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, local, remote, pid, "srv")));
                events.Add(() => t.OnStateChange(State(t0 + (4 * gap), sk, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, local, remote, pid, "srv")));
                events.Add(() =>
                {
                    // the totals wait two batches for their CLOSE: kept in one batch here
                    t.OnTotals(Totals(t0 + (5 * gap), sk, 1000, 2000, TotalsFlags.FinAcked | TotalsFlags.FinReceived));
                    t.OnStateChange(State(t0 + (5 * gap), sk, TcpState.LAST_ACK, TcpState.CLOSE, local, remote, pid, "srv"));
                });
                continue;
            }

            events.Add(() => t.OnStateChange(State(t0, sk, TcpState.CLOSE, TcpState.SYN_SENT, Ep(1, 0), remote, pid, "curl")));
            events.Add(() => t.OnStateChange(State(t0 + gap, sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, local, remote, pid, "curl")));
            events.Add(() => t.OnSocketEvent(Sock(t0 + gap + 10, sk, SocketEventKind.ConnectReturn, TcpState.ESTABLISHED, -115, local, remote)));
            if (i % 6 == 2)
            {
                events.Add(() => t.OnSocketEvent(Sock(t0 + (2 * gap), sk, SocketEventKind.Retransmit, TcpState.ESTABLISHED, 0, local, remote)));
            }

            events.Add(() => t.OnStateChange(State(t0 + (3 * gap), sk, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, local, remote, pid, "curl")));
            events.Add(() => t.OnStateChange(State(t0 + (4 * gap), sk, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, local, remote, pid, "curl")));
            events.Add(() => t.OnStateChange(State(t0 + (5 * gap), sk, TcpState.FIN_WAIT2, TcpState.CLOSE, local, remote, pid, "curl")));
        }

        int step = 0;
        foreach (Action e in events)
        {
            e();
            if (++step % 3 == 0)
            {
                t.OnIdle(0);
                if (quietBetween)
                {
                    t.OnIdle(0);
                }

                quietSeen += t.QuietCount;
            }
        }

        t.OnIdle(0);
        t.EndOfTrace(300 * S);
        return lines.ToString();
    }
}

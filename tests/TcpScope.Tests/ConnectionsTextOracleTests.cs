using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>
/// The `life` and `connect` text lines, built without strings, against the composite formatting
/// they replaced (kept here as the reference): many generated connections, every kind of line,
/// IPv4 and IPv6, unknown owners, odd task names, resets, errors, ICMP, lost records and times
/// that are not whole microseconds.
/// </summary>
public class ConnectionsTextOracleTests
{
    private const string LifeFormat = "{0,-12} {1} {2,-7} {3,-15} {4,-2} {5,-22} {6,-22} {7,10} {8,10} {9,10} {10}";
    private const string ConnectFormat = "{0,-12} {1,-7} {2,-15} {3,-22} {4,-22} {5,-15} {6,10}  {7}";
    private static readonly long WallOffset = (new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Lines_are_those_of_the_composite_format(int seed)
    {
        var actual = new StringWriter();
        var expected = new StringWriter();
        var twin = new Twin(new ConnectionsTextRenderer(actual, TextWriter.Null, ConnectionsView.Life, WallOffset), expected);
        var table = new ConnectionTable([twin]);
        var random = new Random(seed);
        for (int i = 0; i < 400; i++)
        {
            Generate(table, random, i);
            if (i % 7 == 0)
            {
                table.OnIdle(0);
            }
        }

        table.OnIdle(0);
        string[] a = actual.ToString().Split('\n');
        string[] e = expected.ToString().Split('\n');
        Assert.True(e.Length > 800, $"only {e.Length} lines generated");
        Assert.Contains(e, l => l.Contains("RST", StringComparison.Ordinal));
        Assert.Contains(e, l => l.Contains("ICMP", StringComparison.Ordinal));
        Assert.Contains(e, l => l.Contains(">?", StringComparison.Ordinal));
        Assert.Contains(e, l => l.Contains(" unknown ", StringComparison.Ordinal));
        Assert.Contains(e, l => l.Contains("[fd00:", StringComparison.Ordinal));
        for (int i = 0; i < Math.Max(a.Length, e.Length); i++)
        {
            Assert.Equal(e.ElementAtOrDefault(i), a.ElementAtOrDefault(i));
        }
    }

    private static void Generate(ConnectionTable t, Random r, int i)
    {
        bool v6 = r.Next(4) == 0;
        string host = v6 ? (r.Next(3) == 0 ? "::ffff:198.18.0." : "fd00::") : "198.18.0.";
        string Ep(int last, int port) => v6 ? $"[{host}{last}]:{port}" : $"{host}{last}:{port}";
        ulong sk = 0xffff888100000000 + ((ulong)i * 0x800);
        long t0 = r.NextInt64(1, 1_000_000_000_000_000);
        long Next() => t0 += r.NextInt64(0, 3_000_000_000);
        uint pid = r.Next(5) == 0 ? 0u : (uint)r.Next(1, 4_000_000);
        string comm = r.Next(6) switch { 0 => "a\u0001b\u00e9", 1 => "exactly15chars!", 2 => "", _ => "curl" };
        int lport = r.Next(1024, 65536);
        string local = Ep(1, lport), remote = Ep(r.Next(2, 250), r.Next(1, 65536));
        StateChange S(TcpState from, TcpState to, bool opening = false) =>
            State(Next(), sk, from, to, opening ? Ep(1, 0) : local, remote, pid, comm);

        if (r.Next(3) == 0)
        {
            // a server's connection
            t.OnStateChange(S(TcpState.LISTEN, TcpState.SYN_RECV));
            t.OnStateChange(S(TcpState.SYN_RECV, TcpState.ESTABLISHED));
            t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.Accept, TcpState.ESTABLISHED, 5, local, remote, (uint)r.Next(1, 99999), comm));
            t.OnStateChange(S(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT));
            t.OnStateChange(S(TcpState.CLOSE_WAIT, TcpState.LAST_ACK));
            t.OnTotals(Totals(Next(), sk, (ulong)r.Next(1, 100000), (ulong)r.Next(1, 100000), TotalsFlags.FinAcked | TotalsFlags.FinReceived));
            t.OnStateChange(S(TcpState.LAST_ACK, TcpState.CLOSE));
            return;
        }

        t.OnStateChange(S(TcpState.CLOSE, TcpState.SYN_SENT, opening: true));
        for (int k = r.Next(4) == 0 ? r.Next(1, 5) : 0; k > 0; k--)
        {
            t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.Retransmit, TcpState.SYN_SENT, 0, local, remote));
        }

        switch (r.Next(8))
        {
            case 0: // refused
                t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.ResetReceived, TcpState.SYN_SENT, 0, local, remote));
                t.OnStateChange(S(TcpState.SYN_SENT, TcpState.CLOSE));
                t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.SocketError, TcpState.CLOSE, 111, local, remote));
                return;
            case 1: // an ICMP error, then the application gives up
                t.OnIcmpError(Icmp(Next(), sk, v6 ? "fd00::9" : "198.18.0.9", error: 113));
                t.OnStateChange(S(TcpState.SYN_SENT, TcpState.CLOSE));
                return;
            case 2: // bare ACK answered with a reset, then established, then its end lost
                t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.ResetSent, TcpState.SYN_SENT, r.Next(0, 12), local, remote));
                t.OnStateChange(S(TcpState.SYN_SENT, TcpState.ESTABLISHED));
                t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.Gone, TcpState.ESTABLISHED, 0, local, remote));
                return;
            case 3: // records lost in the middle
                t.OnStateChange(S(TcpState.SYN_SENT, TcpState.ESTABLISHED));
                t.OnStateChange(S(TcpState.FIN_WAIT1, TcpState.FIN_WAIT2) with { Flags = StateEventFlags.OwnerKnown | StateEventFlags.AfterLoss });
                t.OnStateChange(S(TcpState.FIN_WAIT2, TcpState.CLOSE));
                return;
            case 4: // never closes in the trace
                t.OnStateChange(S(TcpState.SYN_SENT, TcpState.ESTABLISHED));
                t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.ConnectReturn, TcpState.ESTABLISHED, -115, local, remote));
                return;
            default: // established and closed, a reset or an error on the way out sometimes
                t.OnStateChange(S(TcpState.SYN_SENT, TcpState.ESTABLISHED));
                t.OnStateChange(S(TcpState.ESTABLISHED, TcpState.FIN_WAIT1));
                if (r.Next(4) == 0)
                {
                    t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.ResetSent, TcpState.FIN_WAIT1, r.Next(0, 12), local, remote));
                    t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.ResetSent, TcpState.FIN_WAIT1, r.Next(0, 12), local, remote));
                    t.OnSocketEvent(Sock(Next(), sk, SocketEventKind.SocketError, TcpState.FIN_WAIT1, 104, local, remote));
                }

                t.OnStateChange(S(TcpState.FIN_WAIT1, TcpState.FIN_WAIT2));
                if (r.Next(2) == 0)
                {
                    t.OnTotals(Totals(Next(), sk, (ulong)r.Next(0, 1 << 30), (ulong)r.Next(0, 1 << 30), TotalsFlags.FinAcked | TotalsFlags.FinReceived));
                }

                t.OnStateChange(S(TcpState.FIN_WAIT2, TcpState.CLOSE));
                return;
        }
    }

    /// <summary>Writes each milestone through the renderer under test, life and connect lines, and through the reference.</summary>
    private sealed class Twin(ConnectionsTextRenderer renderer, TextWriter expected) : IConnectionObserver
    {
        private readonly LifeView life = new(renderer);

        public void OnConnectEnded(ConnectAttempt a)
        {
            life.OnConnectEnded(a);
            if (a.Connection.EstablishedNs is long at)
            {
                expected.WriteLine(Life(LifeEventKind.Connect, at, a.Connection));
            }

            renderer.WriteAttempt(a, null);
            expected.WriteLine(Connect(a));
        }

        public void OnAccepted(Connection c)
        {
            life.OnAccepted(c);
            expected.WriteLine(Life(LifeEventKind.Accept, c.AcceptedNs ?? c.FirstSeenNs, c));
        }

        public void OnClosed(Connection c)
        {
            life.OnClosed(c);
            expected.WriteLine(Life(LifeEventKind.Close, c.EndedNs ?? c.LastSeenNs, c));
        }

        private static string Life(LifeEventKind kind, long timestampNs, Connection c)
        {
            string ms = kind switch
            {
                LifeEventKind.Connect when c.EstablishedNs is long e && c.ConnectStartNs is long s => ConnectionText.Ms(e - s),
                LifeEventKind.Accept when c.AcceptedNs is long a && c.EstablishedNs is long e => ConnectionText.Ms(a - e),
                LifeEventKind.Close => (ConnectionText.LifetimeKnown(c) ? "" : ">") + ConnectionText.Ms(c.LifetimeNs(timestampNs)),
                _ => "-",
            };
            bool close = kind == LifeEventKind.Close;
            return Line(
                LifeFormat,
                ConnectionText.Time(timestampNs, WallOffset),
                kind switch { LifeEventKind.Connect => "C", LifeEventKind.Accept => "A", _ => "X" },
                ConnectionText.Pid(c),
                ConnectionText.Comm(c),
                ConnectionText.Family(c),
                ConnectionText.Local(c),
                ConnectionText.Remote(c),
                ms,
                close && c.BytesSent is ulong tx ? tx.ToString(CultureInfo.InvariantCulture) : "",
                close && c.BytesReceived is ulong rx ? rx.ToString(CultureInfo.InvariantCulture) : "",
                close ? ConnectionText.Path(c) + ConnectionText.Ending(c) : "");
        }

        private static string Connect(ConnectAttempt a)
        {
            Connection c = a.Connection;
            string retransmits = a.SynRetransmitOffsetsNs.Count == 0
                ? "-"
                : string.Join(',', a.SynRetransmitOffsetsNs.Select(o => (o / 1e9).ToString("0.00", CultureInfo.InvariantCulture)));
            string detail = a.Error is int err ? $"{retransmits}  {ConnectionText.Errno(err)}" : retransmits;
            if (c.ResetsSentInSynSent > 0)
            {
                detail += $"  {c.ResetsSentInSynSent} RST sent to unacceptable ACKs";
            }

            if (a.Failed && c.Icmp is IcmpError icmp)
            {
                detail += $"  {icmp.Text}";
            }

            return Line(
                ConnectFormat,
                ConnectionText.Time(a.StartNs, WallOffset),
                ConnectionText.Pid(c),
                ConnectionText.Comm(c),
                ConnectionText.Local(c),
                a.Remote,
                ConnectionText.Outcome(a.Outcome),
                ConnectionText.Ms(a.DurationNs),
                detail);
        }

        private static string Line(string format, params object[] values) =>
            string.Format(CultureInfo.InvariantCulture, format, values).TrimEnd();

        // not looked at here
        public void OnConnectInProgress(ConnectAttempt a)
        {
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Diagnosis;
using TcpScope.Output;

namespace TcpScope.Bench;

/// <summary>
/// User-space cost per connection of `states`, `life` and `connect` on the storm's events:
/// each storm connection is a client socket (CLOSE -> SYN_SENT, connect() returning
/// EINPROGRESS, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, totals, CLOSE) and the server's socket
/// (LISTEN -> SYN_RECV, ESTABLISHED, accept(), CLOSE_WAIT, LAST_ACK, totals, CLOSE): 10
/// transitions, 4 socket events and 2 totals. Decoded events go through what each verb builds in
/// user space (`states`: the text renderer; `life`: connection table, life view, CLOSE_WAIT rule,
/// text renderer; `connect`: table, connect view, the four connect rules, text renderer), the
/// renderers writing to Stream.Null; OnIdle every 64 connections as the drain does. Prints
/// ns/connection and bytes allocated/connection, median of 5 rounds after a warm-up.
///   dotnet run -c Release --project bench/TcpScope.Bench -- connections [connections_per_round]
/// Only public API that predates this bench is used, so the same file measures older commits.
/// </summary>
public static class ConnectionsBench
{
    private const uint NetNs = 4026531840;
    private const int ConnectionsPerDrain = 64;
    private static readonly Comm Client = CommText.From("connstorm");

    public static int Run(int n)
    {
        Measure("states", n, Storm.ForStates);
        Measure("life", n, Storm.ForLife);
        Measure("connect", n, Storm.ForConnect);
        return 0;
    }

    private static void Measure(string name, int n, Func<Storm> make)
    {
        var ns = new List<double>();
        var bytes = new List<double>();
        for (int round = 0; round < 6; round++)
        {
            Storm s = make();
            long alloc0 = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < n; i++)
            {
                s.Connection(i);
                if (i % ConnectionsPerDrain == ConnectionsPerDrain - 1)
                {
                    s.Idle(i);
                }
            }

            s.Idle(n);
            sw.Stop();
            if (round > 0)
            {
                ns.Add(sw.Elapsed.TotalNanoseconds / n);
                bytes.Add((GC.GetAllocatedBytesForCurrentThread() - alloc0) / (double)n);
            }

            s.Dispose();
        }

        ns.Sort();
        bytes.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-8} {ns[2],8:0} ns/connection  (min {ns[0]:0}, max {ns[^1]:0})  {bytes[2],7:0.0} bytes allocated/connection"));
    }

    /// <summary>One verb's user-space pipeline and the storm's events for it.</summary>
    private sealed class Storm : IDisposable
    {
        private const long StepNs = 10_000;
        private readonly IEventSink sink;
        private readonly IReportWriter renderer;
        private readonly ConnectionTable? table;
        private readonly RuleSet? rules;

        private Storm(IEventSink sink, IReportWriter renderer, ConnectionTable? table, RuleSet? rules)
        {
            (this.sink, this.renderer, this.table, this.rules) = (sink, renderer, table, rules);
        }

        public static Storm ForStates()
        {
            var r = new StatesTextRenderer(Stream.Null, TextWriter.Null, new StatesTextOptions());
            return new Storm(r, r, null, null);
        }

        public static Storm ForLife()
        {
            var r = Text(ConnectionsView.Life);
            List<IRule> rules = [new CloseWaitRule()];
            var t = new ConnectionTable([new LifeView(r), .. rules.OfType<IConnectionObserver>()], KernelEnums.BuiltIn);
            return new Storm(t, r, t, new RuleSet(rules));
        }

        public static Storm ForConnect()
        {
            var r = Text(ConnectionsView.Connect);
            List<IRule> rules = [new ConnectTimeoutRule(), new ConnectRefusedRule(), new SynSentBadAckRule(), new SlowHandshakeRule(SlowHandshakeRule.DefaultThreshold)];
            var t = new ConnectionTable([new ConnectView(r, failedOnly: false), .. rules.OfType<IConnectionObserver>()], KernelEnums.BuiltIn);
            return new Storm(t, r, t, new RuleSet(rules));
        }

        public void Connection(int i)
        {
            long t = i * 20 * StepNs;
            ulong client = 0xffff888100000000 + ((ulong)(i % 4096) * 0x800);
            ulong server = 0xffff888180000000 + ((ulong)(i % 4096) * 0x800);
            ushort port = (ushort)(32768 + (i % 28_000));
            var lo = default(AddressBytes);
            lo[0] = 127;
            lo[3] = 1;

            State(t, client, lo, 0, lo, 8080, TcpState.CLOSE, TcpState.SYN_SENT, owner: true);
            State(t + StepNs, server, lo, 8080, lo, port, TcpState.LISTEN, TcpState.SYN_RECV, owner: true);
            State(t + (2 * StepNs), client, lo, port, lo, 8080, TcpState.SYN_SENT, TcpState.ESTABLISHED, owner: false);
            Sock(t + (3 * StepNs), client, lo, port, lo, 8080, SocketEventKind.ConnectReturn, TcpState.ESTABLISHED, -115);
            State(t + (4 * StepNs), server, lo, 8080, lo, port, TcpState.SYN_RECV, TcpState.ESTABLISHED, owner: false);
            Sock(t + (5 * StepNs), server, lo, 8080, lo, port, SocketEventKind.Accept, TcpState.ESTABLISHED, 5);
            State(t + (6 * StepNs), client, lo, port, lo, 8080, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, owner: true);
            State(t + (7 * StepNs), server, lo, 8080, lo, port, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, owner: false);
            State(t + (8 * StepNs), client, lo, port, lo, 8080, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, owner: false);
            State(t + (9 * StepNs), server, lo, 8080, lo, port, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, owner: true);
            Totals(t + (10 * StepNs), server);
            State(t + (10 * StepNs), server, lo, 8080, lo, port, TcpState.LAST_ACK, TcpState.CLOSE, owner: false);
            Totals(t + (11 * StepNs), client);
            State(t + (11 * StepNs), client, lo, port, lo, 8080, TcpState.FIN_WAIT2, TcpState.CLOSE, owner: false);
        }

        public void Idle(int i)
        {
            long now = (i * 20 * StepNs) + 1;
            sink.OnIdle(now);
            if (table is not null)
            {
                // what the drain loop does after the table: the renderer flushes
                renderer.Flush();
            }
        }

        public void Dispose() => renderer.Dispose();

        private static ConnectionsTextRenderer Text(ConnectionsView view) =>
            new(new StreamWriter(Stream.Null), TextWriter.Null, view, 0);

        private void State(long t, ulong sk, AddressBytes local, ushort lport, AddressBytes remote, ushort rport, TcpState from, TcpState to, bool owner)
        {
            var e = new StateChange(
                t, NetNs, sk, 0, Client, owner ? 4242u : 0, Client,
                (owner ? StateEventFlags.OwnerKnown : StateEventFlags.None) | StateEventFlags.DeltaKnown,
                AddressFamilyKind.IPv4, local, lport, remote, rport, from, to, StepNs);
            sink.OnStateChange(in e);
            rules?.OnStateChange(in e);
        }

        private void Sock(long t, ulong sk, AddressBytes local, ushort lport, AddressBytes remote, ushort rport, SocketEventKind kind, TcpState state, int value)
        {
            var e = new SocketEvent(kind, t, NetNs, sk, 4242, Client, AddressFamilyKind.IPv4, local, lport, remote, rport, state, value, 0);
            sink.OnSocketEvent(in e);
        }

        private void Totals(long t, ulong sk)
        {
            var e = new SocketTotals(t, NetNs, sk, 1001, 2001, 10, 10, 0, 50, TotalsFlags.FinReceived | TotalsFlags.FinAcked);
            sink.OnTotals(in e);
        }
    }
}

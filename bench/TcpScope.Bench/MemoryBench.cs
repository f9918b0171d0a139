using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Diagnosis;
using TcpScope.Output;

namespace TcpScope.Bench;

/// <summary>
/// Memory of the `connect` pipeline over a long run: the user-space part of what `tcpscope connect`
/// builds (connection table, connect view and summary, the connect rules, a text renderer writing
/// to Stream.Null) fed synthetic decoded events: connects to 100 000 destinations, 2% of the
/// connections never closing, socket addresses reused, refused, timed-out, bad-ACK and slow
/// attempts among them. OnIdle every 10 000 events as the drain loop calls it. Prints RSS and the
/// GC heap every 5 M events, the growth over the second half, and where the heap goes at the end.
///   dotnet run -c Release --project bench/TcpScope.Bench -- memory [events] [destinations]
/// </summary>
public static class MemoryBench
{
    private const long StepNs = 50_000; // the synthetic clock: one event every 50 µs, 50 M events = 42 min
    private const long Ms = 1_000_000;
    private const long S = 1_000_000_000;
    private const uint NetNs = 4026531840;

    private static readonly Comm Client = CommText.From("client");

    // optimised code from the start: tier-0 code keeps temporaries alive to the end of a method, and the breakdown lets go of parts
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Run(long events, int destinations)
    {
        var p = new Pipeline();
        var feed = new Feed(p, destinations);

        Report("start", 0, p);
        long firstHalfRss = 0, lastTenRss = 0;
        var sw = Stopwatch.StartNew();
        for (long mark = 5_000_000; mark <= events; mark += 5_000_000)
        {
            feed.Until(mark);
            Report($"{mark / 1_000_000} M", feed.NowNs, p);
            if (mark == events / 2)
            {
                firstHalfRss = Rss();
            }

            if (mark == events - 10_000_000)
            {
                lastTenRss = Rss();
            }
        }

        feed.Until(events);
        double seconds = sw.Elapsed.TotalSeconds;
        long endRss = Rss();
        Console.WriteLine(Invariant($"fed {feed.Events:N0} events in {seconds:0.0} s ({feed.Events / seconds / 1e6:0.00} M/s), {feed.Connections:N0} connections, clock {feed.NowNs / (double)S:0} s"));
        Console.WriteLine(Invariant($"RSS growth over the second half: {(endRss - firstHalfRss) / 1048576.0:+0.0;-0.0} MiB ({firstHalfRss / 1048576.0:0.0} -> {endRss / 1048576.0:0.0})"));
        if (lastTenRss > 0)
        {
            // the connection table fills at about 37 M events here; after that every table is at its bound
            Console.WriteLine(Invariant($"RSS growth over the last 10 M events: {(endRss - lastTenRss) / 1048576.0:+0.0;-0.0} MiB ({lastTenRss / 1048576.0:0.0} -> {endRss / 1048576.0:0.0})"));
        }

        Console.WriteLine(Invariant($"peak RSS (VmHWM): {Status("VmHWM:") / 1048576.0:0.0} MiB"));
        Finish(p, feed.NowNs);
        Breakdown(p);
        return 0;
    }

    /// <summary>What the run's end does: the summary, the findings, the shortfalls (a method of its own: its temporaries die with it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Finish(Pipeline p, long nowNs)
    {
        var sw = Stopwatch.StartNew();
        p.Renderer.WriteConnectSummary(p.View!.Summary);
        int findings = p.Rules!.Evaluate(nowNs).Count;
        Console.WriteLine(Invariant($"summary and {findings} findings written in {sw.Elapsed.TotalMilliseconds:0} ms"));
        foreach (Shortfall f in new IShortfalls[] { p.Table!, p.View, p.Rules }.SelectMany(s => s.Shortfalls).Where(f => f.Count > 0))
        {
            Console.WriteLine(Invariant($"  {f.Id} = {f.Count:N0}"));
        }
    }

    /// <summary>Where the heap goes: lets go of one part at a time and weighs what is left.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Breakdown(Pipeline p)
    {
        int open = OpenConnections(p);
        long all = Heap();
        Console.WriteLine(Invariant($"heap after a full GC: {all / 1048576.0:0.0} MiB"));
        // the table holds its own array of the observers: it goes first, then the view, then each rule
        p.Table = null;
        long withoutTable = Heap();
        Console.WriteLine(Invariant($"  connection table ({open:N0} open connections): {(all - withoutTable) / 1048576.0:0.0} MiB, {(all - withoutTable) / (double)Math.Max(open, 1):0} bytes each"));
        p.Observers.Clear();
        p.View = null;
        long before = Heap();
        Console.WriteLine(Invariant($"  connect view and summary: {(withoutTable - before) / 1048576.0:0.0} MiB"));
        p.Rules = null;
        while (p.RuleList.Count > 0)
        {
            string name = RemoveFirstRule(p);
            long after = Heap();
            Console.WriteLine(Invariant($"  {name}: {(before - after) / 1048576.0:0.0} MiB"));
            before = after;
        }

        Console.WriteLine(Invariant($"  the rest (runtime, renderer): {before / 1048576.0:0.0} MiB"));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Report(string at, long nowNs, Pipeline p)
    {
        ConnectionTable table = p.Table!;
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        Console.WriteLine(Invariant(
            $"{at,6}: RSS {Rss() / 1048576.0,6:0.0} MiB (peak {Status("VmHWM:") / 1048576.0:0.0}), GC heap {GC.GetTotalMemory(false) / 1048576.0,6:0.0} MiB (after last GC {gc.HeapSizeBytes / 1048576.0:0.0}, committed {gc.TotalCommittedBytes / 1048576.0:0.0}), open connections {table.Open.Count:N0}, clock {nowNs / (double)S:0} s"));
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(true);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string RemoveFirstRule(Pipeline p)
    {
        IRule r = p.RuleList[0];
        p.RuleList.RemoveAt(0);
        return r.GetType().Name;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int OpenConnections(Pipeline p) => p.Table!.Open.Count;

    /// <summary>VmRSS of /proc/self/status, in bytes.</summary>
    private static long Rss() => Status("VmRSS:");

    /// <summary>A size field of /proc/self/status (VmRSS:, VmHWM: the peak RSS), in bytes.</summary>
    private static long Status(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>What `tcpscope connect` builds in user space, in fields that can be let go one by one.</summary>
    private sealed class Pipeline
    {
        public Pipeline()
        {
            RuleList = [new ConnectTimeoutRule(), new ConnectRefusedRule(), new SynSentBadAckRule(), new SlowHandshakeRule(SlowHandshakeRule.DefaultThreshold)];
            View = new ConnectView(Renderer, failedOnly: false);
            Observers = [View, .. RuleList.OfType<IConnectionObserver>()];
            Table = new ConnectionTable(Observers, KernelEnums.BuiltIn, ConnectionTable.DefaultCapacity);
            Rules = new RuleSet(RuleList);
        }

        public ConnectionsTextRenderer Renderer { get; } = new(new StreamWriter(Stream.Null), TextWriter.Null, ConnectionsView.Connect, 0);

        public List<IRule> RuleList { get; }

        public List<IConnectionObserver> Observers { get; }

        public ConnectionTable? Table { get; set; }

        public RuleSet? Rules { get; set; }

        public ConnectView? View { get; set; }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>The synthetic event stream: one connection's events after another, on a clock of <see cref="StepNs"/> per event.</summary>
    private sealed class Feed(Pipeline p, int destinations)
    {
        private const int IdleEvery = 10_000;
        private const int ReusedSockets = 65_536;

        private readonly Random random = new(42);
        private long nextIdle = IdleEvery;
        private ulong neverClosed;

        public long Events { get; private set; }

        public long Connections { get; private set; }

        public long NowNs => Events * StepNs;

        public void Until(long events)
        {
            while (Events < events)
            {
                Connect();
            }
        }

        private void Connect()
        {
            long t = NowNs;
            int d = random.Next(destinations);
            var remote = default(AddressBytes);
            remote[0] = 10;
            remote[1] = (byte)(d >> 16);
            remote[2] = (byte)(d >> 8);
            remote[3] = (byte)d;
            ushort rport = (ushort)(80 + (d % 4));
            var local = default(AddressBytes);
            local[0] = 10;
            local[3] = 1;
            ushort lport = (ushort)(32768 + (Connections % 28_000));
            int kind = random.Next(100);

            // addresses of closed sockets come back for new ones (the slab reuses them); never-closed ones are unique
            ulong sk = kind < 2
                ? 0xffff888200000000 + (neverClosed++ * 0x800)
                : 0xffff888100000000 + ((ulong)(Connections % ReusedSockets) * 0x800);
            Connections++;
            var c = new Conn(this, sk, local, lport, remote, rport);

            c.State(t, TcpState.CLOSE, TcpState.SYN_SENT);
            switch (kind)
            {
                case < 2: // never closes
                    c.State(t + Latency(), TcpState.SYN_SENT, TcpState.ESTABLISHED);
                    return;
                case < 10: // refused
                    c.Sock(t + 100_000, SocketEventKind.ResetReceived, TcpState.SYN_SENT, 0);
                    c.State(t + 100_000, TcpState.SYN_SENT, TcpState.CLOSE);
                    c.Sock(t + 100_000, SocketEventKind.SocketError, TcpState.CLOSE, 111);
                    return;
                case < 13: // timed out
                    for (int i = 1; i <= 3; i++)
                    {
                        c.Sock(t + (i * S), SocketEventKind.Retransmit, TcpState.SYN_SENT, 0);
                    }

                    c.State(t + (7 * S), TcpState.SYN_SENT, TcpState.CLOSE);
                    c.Sock(t + (7 * S), SocketEventKind.SocketError, TcpState.CLOSE, 110);
                    return;
                case < 15: // a bare ACK, reset, then the retransmit connects
                    c.Sock(t + 50_000, SocketEventKind.ResetSent, TcpState.SYN_SENT, 0);
                    c.Sock(t + (10 * Ms), SocketEventKind.Retransmit, TcpState.SYN_SENT, 0);
                    c.State(t + (10 * Ms) + 100_000, TcpState.SYN_SENT, TcpState.ESTABLISHED);
                    break;
                case < 20: // slow: the SYN was retransmitted after 1 s
                    c.Sock(t + S, SocketEventKind.Retransmit, TcpState.SYN_SENT, 0);
                    c.State(t + S + 100_000, TcpState.SYN_SENT, TcpState.ESTABLISHED);
                    break;
                default:
                    c.State(t + Latency(), TcpState.SYN_SENT, TcpState.ESTABLISHED);
                    break;
            }

            long end = t + (20 * Ms);
            c.State(end, TcpState.ESTABLISHED, TcpState.FIN_WAIT1);
            c.State(end + 100_000, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2);
            c.Totals(end + 200_000);
            c.State(end + 200_000, TcpState.FIN_WAIT2, TcpState.CLOSE);
        }

        private long Latency() => 20_000 + random.Next(480_000);

        private void Counted()
        {
            Events++;
            if (Events >= nextIdle)
            {
                nextIdle += IdleEvery;
                p.Table!.OnIdle(NowNs);
            }
        }

        private ConnectionTable Table => p.Table!;

        private RuleSet Rules => p.Rules!;

        private readonly struct Conn(Feed feed, ulong sk, AddressBytes local, ushort lport, AddressBytes remote, ushort rport)
        {
            public void State(long t, TcpState from, TcpState to)
            {
                var e = new StateChange(
                    t, NetNs, sk, 4242, Client, 4242, Client, StateEventFlags.OwnerKnown, AddressFamilyKind.IPv4,
                    local, from == TcpState.CLOSE ? (ushort)0 : lport, remote, rport, from, to, 0);
                feed.Table.OnStateChange(in e);
                feed.Rules.OnStateChange(in e);
                feed.Counted();
            }

            public void Sock(long t, SocketEventKind kind, TcpState state, int value)
            {
                var e = new SocketEvent(kind, t, NetNs, sk, 0, Client, AddressFamilyKind.IPv4, local, lport, remote, rport, state, value, 0);
                feed.Table.OnSocketEvent(in e);
                feed.Counted();
            }

            public void Totals(long t)
            {
                var e = new SocketTotals(t, NetNs, sk, 1001, 2001, 10, 10, 0, 50, TotalsFlags.FinReceived | TotalsFlags.FinAcked);
                feed.Table.OnTotals(in e);
                feed.Counted();
            }
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using TcpScope.Bpf;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Host;
using TcpScope.Lab;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The ring buffer consumer against real kernel rings, filled by TcpScope's own programs with
/// the transitions of loopback connections made in a fresh network namespace.
/// </summary>
public class RingBufferReaderTests
{
    private static readonly int Page = Environment.SystemPageSize;

    /// <summary>
    /// The conn object's records are of several sizes (state 120, socket event 96, totals 88
    /// bytes, plus the 8-byte header), so in a one-page ring they straddle its end again and
    /// again; 60 connections pass about 25 rings' worth through it, drained between them.
    /// </summary>
    [PrivilegedFact]
    public void Every_record_arrives_in_order_through_a_one_page_ring_that_wraps_many_times()
    {
        const int connections = 60;
        using NetworkNamespace ns = NetworkNamespace.Create("ts-ring");
        using BpfObject obj = LoadConnections((uint)Page, ns.Inode, out List<BpfLink> links);
        var sink = new CollectingSink();
        var decoder = new RecordDecoder(sink, KernelEnums.LoadOrBuiltIn());
        var bytes = new ByteCounter(decoder);
        try
        {
            using var reader = new RingBufferReader(obj.MapFd("events"), bytes);
            Assert.Equal(Page, reader.Size);
            using Socket listener = ns.Run(ClosingConnections.Listen);
            for (int i = 0; i < connections; i++)
            {
                // one connection (about 1.7 KB of records) at a time fits the ring with room to spare
                ns.Run(() =>
                {
                    ClosingConnections.Run(listener, 1);
                    return 0;
                });
                reader.Drain();
            }

            listener.Close();
            int expected = (connections * ClosingConnections.TransitionsPerConnection) + ClosingConnections.ListenerTransitions;
            DrainUntil(reader, () => sink.States.Count >= expected);

            ulong lost = new PerCpuCounters(obj.MapFd("counters")).Sum((uint)Counter.Lost);
            Assert.Equal(0UL, lost);
            Assert.Equal(0L, decoder.Malformed);
            Assert.Equal(expected, sink.States.Count);

            // the pieces of a wrapped record were put back together: it decoded, and its socket's path is whole
            Assert.True(bytes.Bytes > 20 * reader.Size, $"only {bytes.Bytes} bytes passed a {reader.Size}-byte ring");
            Assert.True(reader.WrappedRecords > 0, "no record wrapped past the end of the ring");
        }
        finally
        {
            links.ForEach(l => l.Dispose());
        }

        Assert.All(sink.States, e => Assert.Equal(ns.Inode, e.NetNs));
        List<string> paths = Lives(sink.States);
        const string client = "CLOSE>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT1 FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>CLOSE";
        const string child = "LISTEN>SYN_RECV SYN_RECV>ESTABLISHED ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSE";
        Assert.Equal(connections, paths.Count(p => p == client));
        Assert.Equal(connections, paths.Count(p => p == child));
        Assert.Equal(1, paths.Count(p => p == "CLOSE>LISTEN LISTEN>CLOSE"));

        // one byte count per socket that closed after being established (conn.bpf.c: emit_totals)
        Assert.Equal(2 * connections, sink.Totals);
    }

    /// <summary>
    /// The consumer page read-write and the producer page plus the data area read-only, each
    /// mapped once (libbpf maps the data area twice); both gone after Dispose.
    /// </summary>
    [PrivilegedFact]
    public void The_ring_is_mapped_once_and_unmapped_on_dispose()
    {
        const uint ring = 1 << 20;
        using NetworkNamespace ns = NetworkNamespace.Create("ts-ring");
        using BpfObject obj = LoadStates(ring, ns.Inode);
        var before = ProcSelf.BpfMapMappings().Select(m => m.Text).ToHashSet();

        var reader = new RingBufferReader(obj.MapFd("events"), new ByteCounter(null));
        List<MapsLine> added = ProcSelf.BpfMapMappings().Where(m => !before.Contains(m.Text)).OrderBy(m => m.Offset).ToList();
        reader.Dispose();
        var after = ProcSelf.BpfMapMappings().Select(m => m.Text).ToHashSet();

        Assert.Collection(
            added,
            consumer => Assert.Equal(("rw-s", 0UL, (ulong)Page), (consumer.Permissions, consumer.Offset, consumer.Length)),
            data => Assert.Equal(("r--s", (ulong)Page, (ulong)Page + ring), (data.Permissions, data.Offset, data.Length)));
        Assert.Equal(before, after);
    }

    /// <summary>
    /// The issue this reader fixes: a ring of N MiB cost 2N MiB of RSS. The kernel inserts every
    /// page of a ring mapping when it is mapped (they count in RssFile at once), so the growth
    /// shows as soon as the reader exists; records are then passed through it and drained.
    /// </summary>
    [PrivilegedFact]
    public void A_ring_costs_its_own_size_in_resident_memory_not_twice_it()
    {
        const uint ring = 256 << 20;
        using NetworkNamespace ns = NetworkNamespace.Create("ts-ring");
        using BpfObject obj = LoadStates(ring, ns.Inode, attach: true, out BpfLink? link);
        using (link)
        {
            var sink = new CollectingSink();
            var decoder = new RecordDecoder(sink, KernelEnums.LoadOrBuiltIn());
            long rssBefore = ProcSelf.StatusBytes("VmRSS");
            long fileBefore = ProcSelf.StatusBytes("RssFile");
            long rssWith, fileWith;

            // the listener's CLOSE>LISTEN and 100 connections; the listener is still open when counted
            const int expected = 1 + (100 * ClosingConnections.TransitionsPerConnection);
            using (var reader = new RingBufferReader(obj.MapFd("events"), decoder))
            {
                using Socket listener = ns.Run(ClosingConnections.Listen);
                for (int round = 0; round < 5; round++)
                {
                    ns.Run(() =>
                    {
                        ClosingConnections.Run(listener, 20);
                        return 0;
                    });
                    reader.Drain();
                }

                DrainUntil(reader, () => sink.States.Count >= expected);
                rssWith = ProcSelf.StatusBytes("VmRSS");
                fileWith = ProcSelf.StatusBytes("RssFile");
            }

            long rssAfter = ProcSelf.StatusBytes("VmRSS");
            string figures = $"VmRSS {rssBefore >> 20} -> {rssWith >> 20} -> {rssAfter >> 20} MiB, RssFile {fileBefore >> 20} -> {fileWith >> 20} MiB, ring {ring >> 20} MiB";

            // the ring's pages are resident (this measures the mapping at all) ...
            Assert.True(fileWith - fileBefore >= ring * 0.9, figures);

            // ... once: libbpf's reader grew RSS by twice the ring
            Assert.True(rssWith - rssBefore < ring * 1.5, figures);
            Assert.True(rssWith - rssAfter >= ring * 0.9, "disposing the reader did not give the ring's pages back: " + figures);
            Assert.Equal(expected, sink.States.Count);
        }
    }

    /// <summary>A handler's exception reaches the caller of Drain; the records after it stay for the next Drain.</summary>
    [PrivilegedFact]
    public void A_handler_exception_reaches_the_caller_and_later_records_stay_in_the_ring()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-ring");
        using BpfObject obj = LoadStates((uint)Page * 4, ns.Inode, attach: true, out BpfLink? link);
        using (link)
        {
            var sink = new CollectingSink();
            var failing = new FailingOnce(new RecordDecoder(sink, KernelEnums.LoadOrBuiltIn()), failAt: 3);
            using var reader = new RingBufferReader(obj.MapFd("events"), failing);
            using (Socket listener = ns.Run(ClosingConnections.Listen))
            {
                ns.Run(() =>
                {
                    ClosingConnections.Run(listener, 1);
                    return 0;
                });
            }

            const int expected = ClosingConnections.TransitionsPerConnection + ClosingConnections.ListenerTransitions;
            var e = Assert.Throws<InvalidOperationException>(() => reader.Drain());
            Assert.Equal(FailingOnce.Message, e.Message);
            Assert.Equal(2, sink.States.Count);

            // the record that threw was consumed; every other one comes with the next drains
            DrainUntil(reader, () => sink.States.Count >= expected - 1);
            Assert.Equal(expected - 1, sink.States.Count);
        }
    }

    /// <summary>
    /// The path of every socket life, in arrival order: the kernel reuses a closed socket's
    /// memory, so one address has many lives, each beginning where a socket leaves CLOSE (or a
    /// child leaves LISTEN).
    /// </summary>
    private static List<string> Lives(IEnumerable<StateChange> events)
    {
        var open = new Dictionary<ulong, List<string>>();
        var lives = new List<List<string>>();
        foreach (StateChange e in events)
        {
            if ((e.OldState is TcpState.CLOSE or TcpState.LISTEN && e.NewState != TcpState.CLOSE) || !open.ContainsKey(e.Socket))
            {
                open[e.Socket] = [];
                lives.Add(open[e.Socket]);
            }

            open[e.Socket].Add($"{e.OldState}>{e.NewState}");
        }

        return lives.Select(l => string.Join(" ", l)).ToList();
    }

    private static void DrainUntil(RingBufferReader reader, Func<bool> done)
    {
        // the last ACKs of a close are processed in softirq, possibly after the syscall returned
        var clock = Stopwatch.StartNew();
        reader.Drain();
        while (!done() && clock.ElapsedMilliseconds < 3000)
        {
            Thread.Sleep(10);
            reader.Drain();
        }
    }

    private static BpfObject LoadStates(uint ringBytes, uint netns) => LoadStates(ringBytes, netns, attach: false, out _);

    private static BpfObject LoadStates(uint ringBytes, uint netns, bool attach, out BpfLink? link)
    {
        BpfObject obj = BpfObject.OpenEmbedded(EmbeddedObjects.States);
        try
        {
            obj.SelectPrograms("states_btf");
            obj.ResizeMap("events", ringBytes);
            obj.SetConstant("timer_drain", true);
            FilterConstants.Apply(obj, new StatesFilter { NetNs = netns });
            obj.Load();
            link = attach ? obj.Attach("states_btf") : null;
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    private static BpfObject LoadConnections(uint ringBytes, uint netns, out List<BpfLink> links)
    {
        Tracefs.EnsureMounted();
        BpfObject obj = BpfObject.OpenEmbedded(EmbeddedObjects.Connections);
        links = [];
        try
        {
            obj.ResizeMap("events", ringBytes);
            obj.SetConstant("timer_drain", true);
            FilterConstants.Apply(obj, new StatesFilter { NetNs = netns });
            obj.Load();
            foreach (string p in Probes.ProbeFamily.Conn.Programs.Select(p => p.Name))
            {
                links.Add(obj.Attach(p));
            }

            return obj;
        }
        catch
        {
            links.ForEach(l => l.Dispose());
            obj.Dispose();
            throw;
        }
    }

    private sealed class CollectingSink : IEventSink
    {
        public List<StateChange> States { get; } = [];

        public int Totals { get; private set; }

        public void OnStateChange(in StateChange e) => States.Add(e);

        public void OnTotals(in SocketTotals e) => Totals++;

        public void OnSocketEvent(in SocketEvent e)
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
    }

    /// <summary>Sums the ring space records took (header and padding included) on the way to the next handler.</summary>
    private sealed class ByteCounter(IRecordHandler? next) : IRecordHandler
    {
        public long Bytes { get; private set; }

        public void OnRecord(ReadOnlySpan<byte> record)
        {
            Bytes += (record.Length + 8 + 7) & ~7;
            next?.OnRecord(record);
        }
    }

    private sealed class FailingOnce(IRecordHandler next, int failAt) : IRecordHandler
    {
        public const string Message = "handler failed";

        private int seen;

        public void OnRecord(ReadOnlySpan<byte> record)
        {
            if (++seen == failAt)
            {
                throw new InvalidOperationException(Message);
            }

            next.OnRecord(record);
        }
    }
}

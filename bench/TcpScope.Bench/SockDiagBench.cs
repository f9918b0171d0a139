using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TcpScope.Decode;
using TcpScope.Lab;
using TcpScope.Sources.Sockets;

namespace TcpScope.Bench;

/// <summary>
/// One sock_diag sample of a large table: in a throw-away network namespace, LISTENERS listeners
/// on 127.0.0.1 (backlog 128, never accepting) and CONNECTIONS connections spread over them;
/// each connection is two sockets (the client's and the unaccepted child). The process may hold
/// fewer descriptors than that, so all but the first 4 000 clients close at once: their sockets
/// stay as orphans in FIN_WAIT2 and the children in CLOSE_WAIT, still in the table. Times one
/// whole dump (both families, parsing included) and the parse alone of the same bytes (median
/// of 7). Needs root.
///   dotnet run -c Release --project bench/TcpScope.Bench -- sockdiag [listeners] [connections]
/// `sockdiag-capture NETNS FILE` writes the raw bytes of one dump of NETNS to FILE (test fixtures);
/// `sockdiag-parse FILE` times the parse alone of such a file.
/// </summary>
public static class SockDiagBench
{
    private const int KeptOpen = 4000;

    public static int Capture(string netns, string file)
    {
        using var output = File.Create(file);
        using SockDiagReader reader = SockDiagReader.OpenNamespace(netns);
        reader.Capture = output;
        List<SocketEntry> sockets = reader.Read(KernelEnums.LoadOrBuiltIn());
        Console.WriteLine($"{sockets.Count} sockets, {output.Length} bytes written to {file}");
        foreach (SocketEntry s in sockets)
        {
            Console.WriteLine($"  {s} (inode {s.Inode}, uid {s.Uid}, cookie {s.Cookie:x})");
        }

        return 0;
    }

    /// <summary>`sockdiag-parse FILE`: the parse alone of a captured dump, ms and bytes allocated per socket (median of 7).</summary>
    public static int Parse(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();
        var list = new List<SocketEntry>(bytes.Length / 64);
        var ms = new List<double>();
        var alloc = new List<double>();
        for (int round = 0; round < 8; round++)
        {
            list.Clear();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            SockDiagParser.Parse(bytes, enums, list);
            SockDiagParser.CountHalfOpen(list);
            sw.Stop();
            if (round > 0)
            {
                ms.Add(sw.Elapsed.TotalMilliseconds);
                alloc.Add((GC.GetAllocatedBytesForCurrentThread() - before) / (double)list.Count);
            }
        }

        ms.Sort();
        alloc.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parse {list.Count} sockets  {ms[3],8:0.0} ms  (min {ms[0]:0.0}, max {ms[^1]:0.0})  {ms[3] * 1e6 / list.Count:0} ns/socket  {alloc[3]:0} bytes allocated/socket"));
        return 0;
    }

    public static int Run(int listeners, int connections)
    {
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();
        using NetworkNamespace ns = NetworkNamespace.Create("ts-bench-sd");
        var held = new List<Socket>();
        try
        {
            var setup = Stopwatch.StartNew();
            ns.Run(() => Populate(held, listeners, connections), "bench-populate");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# netns {ns.Name}: {listeners} listeners, {connections} connections made in {setup.Elapsed.TotalSeconds:0.0} s"));

            using SockDiagReader reader = SockDiagReader.OpenNamespace(ns.Name);
            var list = new List<SocketEntry>(2 * connections + listeners + 1024);
            (double[] ms, int count) = Time(reader, enums, SockDiagReader.AllStates, list);
            (double[] listenMs, int listenCount) = Time(reader, enums, SockDiagReader.StateMask(TcpState.LISTEN, TcpState.SYN_RECV), list);
            (double[] listenOnlyMs, int listenOnlyCount) = Time(reader, enums, SockDiagReader.StateMask(TcpState.LISTEN), list);
            double[] ss = TimeSs(ns);

            using var captured = new MemoryStream();
            reader.Capture = captured;
            reader.Read(enums, SockDiagReader.AllStates, list);
            reader.Capture = null;
            byte[] bytes = captured.ToArray();
            var parse = new List<double>();
            for (int round = 0; round < 8; round++)
            {
                list.Clear();
                var sw = Stopwatch.StartNew();
                SockDiagParser.Parse(bytes, enums, list);
                sw.Stop();
                if (round > 0)
                {
                    parse.Add(sw.Elapsed.TotalMilliseconds);
                }
            }

            parse.Sort();
            int listening = list.Count(s => s.State == TcpState.LISTEN);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {count} sockets ({listening} listening), {bytes.Length / 1024} KiB of netlink replies per dump"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sock_diag dump, all states      {ms[ms.Length / 2],8:0.0} ms  (min {ms[0]:0.0}, max {ms[^1]:0.0})  {ms[ms.Length / 2] * 1e6 / count:0} ns/socket"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sock_diag dump, LISTEN+SYN_RECV {listenMs[listenMs.Length / 2],8:0.0} ms  (min {listenMs[0]:0.0}, max {listenMs[^1]:0.0})  {listenCount} sockets"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sock_diag dump, LISTEN only     {listenOnlyMs[listenOnlyMs.Length / 2],8:0.0} ms  (min {listenOnlyMs[0]:0.0}, max {listenOnlyMs[^1]:0.0})  {listenOnlyCount} sockets"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ss -tan (reference, a process) {ss[ss.Length / 2],8:0.0} ms  (min {ss[0]:0.0}, max {ss[^1]:0.0})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parse only (captured bytes)     {parse[parse.Count / 2],8:0.0} ms/dump  (min {parse[0]:0.0}, max {parse[^1]:0.0})  {parse[parse.Count / 2] * 1e6 / count:0} ns/socket"));
            return 0;
        }
        finally
        {
            foreach (Socket s in held)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>One dump warms up, the median of 7 counts.</summary>
    private static (double[] Ms, int Count) Time(SockDiagReader reader, KernelEnums enums, uint states, List<SocketEntry> list)
    {
        var ms = new List<double>();
        for (int round = 0; round < 8; round++)
        {
            list.Clear();
            var sw = Stopwatch.StartNew();
            reader.Read(enums, states, list);
            sw.Stop();
            if (round > 0)
            {
                ms.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        ms.Sort();
        return ([.. ms], list.Count);
    }

    /// <summary>`ss -tan` in the namespace, output discarded: what the kernel and iproute2 take for the same table, process start included.</summary>
    private static double[] TimeSs(NetworkNamespace ns)
    {
        var ms = new List<double>();
        for (int round = 0; round < 4; round++)
        {
            var sw = Stopwatch.StartNew();
            ns.Exec("ss", "-tan");
            ms.Add(sw.Elapsed.TotalMilliseconds);
        }

        ms.Sort();
        return [.. ms];
    }

    /// <summary>Runs inside the namespace: listeners first, then the connections, round robin; bounded by count and by 120 s.</summary>
    private static int Populate(List<Socket> held, int listeners, int connections)
    {
        File.WriteAllText("/proc/sys/net/ipv4/tcp_fin_timeout", "60");
        var at = new IPEndPoint[listeners];
        for (int i = 0; i < listeners; i++)
        {
            var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(IPAddress.Loopback, 20000 + i));
            l.Listen(128);
            held.Add(l);
            at[i] = (IPEndPoint)l.LocalEndPoint!;
        }

        var deadline = Stopwatch.StartNew();
        for (int c = 0; c < connections && deadline.Elapsed < TimeSpan.FromSeconds(120); c++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(at[c % listeners]);
            if (c < KeptOpen)
            {
                held.Add(s);
            }
            else
            {
                s.Dispose();
            }
        }

        return 0;
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Recording;
using TcpScope.Sources;

namespace TcpScope.Bench;

/// <summary>
/// The recording's own costs: writing N ring records through the tap (ns and bytes allocated
/// per record, file bytes per record), then replaying the file through the decoder into a sink
/// that keeps nothing (events/s; target at least 2 M/s). Median of 5 rounds after a warm-up.
/// Rates are per second of this process's CPU time, so a busy machine does not skew them; the
/// wall-clock rate is printed beside.
///   dotnet run -c Release --project bench/TcpScope.Bench -- replay [records]
/// </summary>
public static class ReplayBench
{
    public static int Run(int n)
    {
        string path = Path.Combine(Path.GetTempPath(), $"tcpscope-bench-{Environment.ProcessId}.tsrec");
        try
        {
            byte[][] records = Records(4096);
            var write = new List<double>();
            var writeWall = new List<double>();
            var alloc = new List<double>();
            for (int round = 0; round < 6; round++)
            {
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                Write(path, records, n);
                sw.Stop();
                TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
                if (round > 0)
                {
                    write.Add(cpu.TotalNanoseconds / n);
                    writeWall.Add(sw.Elapsed.TotalNanoseconds / n);
                    alloc.Add((GC.GetAllocatedBytesForCurrentThread() - a0) / (double)n);
                }
            }

            long size = new FileInfo(path).Length;
            var replay = new List<double>();
            var replayWall = new List<double>();
            long events = 0;
            for (int round = 0; round < 6; round++)
            {
                var sink = new Counting();
                TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                using (ReplaySource source = ReplaySource.Open(path))
                {
                    events = source.Run(sink, CancellationToken.None).Events;
                }

                sw.Stop();
                TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
                if (round > 0)
                {
                    replay.Add(events / cpu.TotalSeconds);
                    replayWall.Add(events / sw.Elapsed.TotalSeconds);
                }
            }

            write.Sort();
            writeWall.Sort();
            alloc.Sort();
            replay.Sort();
            replayWall.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"record (tap + compress + write) {write[2],8:0.0} ns CPU/record (wall {writeWall[2]:0.0})  {alloc[2]:0.00} bytes allocated/record  {size / (double)n:0.0} file bytes/record ({StateEvent.Size} raw)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replay (read + inflate + decode) {replay[2] / 1e6,8:0.00} M events/CPU-s  (min {replay[0] / 1e6:0.00}, max {replay[^1] / 1e6:0.00}; wall {replayWall[2] / 1e6:0.00} M/s); {events} events"));
            return replay[2] >= 2e6 ? 0 : 1;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Write(string path, byte[][] records, int n)
    {
        using RecordingWriter w = RecordingWriter.Create(
            path,
            RecordingHeader.ForThisHost("bench", "conn", 0, 0, 131072),
            KernelEnums.BuiltIn.Tables);
        long ts = 1_000_000_000;
        for (int i = 0; i < n; i++)
        {
            byte[] r = records[i & (records.Length - 1)];
            ts += 1_000 + (i & 0x3ff);
            BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), (ulong)ts); // times grow, as in a real ring
            w.OnRecord(r);
            if ((i & 1023) == 1023)
            {
                w.OnBatchEnd(ts);
            }
        }

        w.Complete(new SourceStats(n, 0, 0));
    }

    /// <summary>State records of many sockets, ports and owners: compressible as real ones are, not more.</summary>
    private static byte[][] Records(int count)
    {
        var rng = new Random(42);
        var all = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            var r = new byte[StateEvent.Size];
            BinaryPrimitives.WriteUInt16LittleEndian(r, (ushort)EventKind.State);
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), (ushort)StateEvent.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), 4026531840 + (uint)rng.Next(4));
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(16), (uint)rng.Next(1, 40000));
            "nginx"u8.CopyTo(r.AsSpan(24));
            BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(40), 0xffff888100000000 | ((ulong)rng.Next() << 6));
            BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(48), (ulong)rng.Next(0, 50_000_000));
            rng.NextBytes(r.AsSpan(56, 4));
            rng.NextBytes(r.AsSpan(72, 4));
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(88), 2);
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(90), (ushort)rng.Next(32768, 61000));
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(92), 443);
            r[94] = (byte)rng.Next(1, 12);
            r[95] = (byte)rng.Next(1, 12);
            all[i] = r;
        }

        return all;
    }

    private sealed class Counting : IEventSink
    {
        private long n;

        public void OnStateChange(in StateChange e) => n += e.NewState == TcpState.Unknown ? 0 : 1;

        public void OnSocketEvent(in SocketEvent e) => n++;

        public void OnTotals(in SocketTotals e) => n++;

        public void OnIcmpError(in IcmpError e) => n++;

        public void OnStack(StackSample e) => n++;

        public void OnDrop(in PacketDrop e) => n++;

        public void OnIdle(long monotonicNowNs)
        {
        }
    }
}

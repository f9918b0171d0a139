using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;

namespace TcpScope.Bench;

/// <summary>
/// User-space cost per event of the states pipeline, stage by stage: decoding a ring-buffer
/// record, then formatting it as a text line or a JSON line into a discarding stream.
/// Prints ns/event and bytes allocated per event for each stage (median of 5 rounds).
///   dotnet run -c Release --project bench/TcpScope.Bench [-- events_per_round]
/// `memory` as the first argument runs <see cref="MemoryBench"/> instead, `replay` <see cref="ReplayBench"/>, `json` <see cref="JsonBench"/>, `connections` <see cref="ConnectionsBench"/>, `drops` <see cref="DropsBench"/>, `sockdiag` <see cref="SockDiagBench"/>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "memory")
        {
            return MemoryBench.Run(
                args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 50_000_000,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000);
        }

        if (args.Length > 0 && args[0] == "replay")
        {
            return ReplayBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000_000);
        }

        if (args.Length > 0 && args[0] == "drops")
        {
            return DropsBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000);
        }

        if (args.Length > 0 && args[0] == "sockdiag")
        {
            return SockDiagBench.Run(
                args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50_000);
        }

        if (args.Length > 1 && args[0] == "sockdiag-parse")
        {
            return SockDiagBench.Parse(args[1]);
        }

        if (args.Length > 1 && args[0] == "sockdiag-capture")
        {
            return SockDiagBench.Capture(args[1], args[2]);
        }

        if (args.Length > 0 && args[0] == "connections")
        {
            return ConnectionsBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000);
        }

        byte[][] records = [Record(2, 1, 2), Record(1, 4, 2), Record(4, 5, 10), Record(5, 7, 2)];
        if (args.Length > 0 && args[0] == "json")
        {
            return JsonBench.Run(
                records,
                args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 41);
        }

        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;

        Measure("decode only", n, records, new NullSink());
        using (var text = new StatesTextRenderer(Stream.Null, TextWriter.Null, new StatesTextOptions()))
        {
            Measure("decode + text line", n, records, text);
        }

        using (var json = new JsonLinesRenderer(Stream.Null, 0))
        {
            Measure("decode + JSON line", n, records, json);
        }

        return 0;
    }

    private static void Measure(string name, int n, byte[][] records, IEventSink sink)
    {
        var decoder = new RecordDecoder(sink, KernelEnums.BuiltIn);
        var rounds = new Rounds();
        for (int round = 0; round < Rounds.Count; round++)
        {
            rounds.Start();
            for (int i = 0; i < n; i++)
            {
                decoder.OnRecord(records[i & 3]);
                if ((i & 1023) == 0)
                {
                    sink.OnIdle(0); // a drain boundary: renderers flush here
                }
            }

            rounds.Stop(round, n);
        }

        rounds.Print(name, 22, "event");
    }

    /// <summary>A ts_state_event as the kernel writes it (IPv4 unless family is 10).</summary>
    private static byte[] Record(byte oldState, byte newState, ushort family)
    {
        var r = new byte[StateEvent.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(r, (ushort)EventKind.State);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), StateEvent.Size);
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), 5_557_262_699_972);
        "connstorm"u8.CopyTo(r.AsSpan(24));
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(40), 0xffff888102e08940);
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(48), 243_000);
        r[56] = 127;
        r[59] = 1;
        r[72] = 127;
        r[75] = 1;
        if (family == 10)
        {
            r.AsSpan(56, 32).Clear();
            r[71] = 1;
            r[87] = 1;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(88), family);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(90), 36876);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(92), 8080);
        r[94] = oldState;
        r[95] = newState;
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(96), 4711);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(100), (uint)(StateEventFlags.OwnerKnown | StateEventFlags.DeltaKnown));
        "connstorm"u8.CopyTo(r.AsSpan(104));
        return r;
    }

    private sealed class NullSink : IEventSink
    {
        public void OnStateChange(in StateChange e)
        {
        }

        public void OnSocketEvent(in SocketEvent e)
        {
        }

        public void OnTotals(in SocketTotals e)
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
}

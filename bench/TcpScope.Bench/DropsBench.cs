using System.Buffers.Binary;
using System.Text;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Host.Symbols;
using TcpScope.Output;

namespace TcpScope.Bench;

/// <summary>
/// User-space cost of `drops` per refused connect, the unit of the drop storm: the SYN dropped
/// NO_SOCKET and the reset sent for it, two ring records decoded and written as text or JSON
/// into a discarding stream. Prints ns and bytes allocated per drop (median of 5 rounds).
///   dotnet run -c Release --project bench/TcpScope.Bench -- drops [drops_per_round]
/// </summary>
public static class DropsBench
{
    public static int Run(int n)
    {
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();
        int noSocket = (int)(enums.DropReasons.FirstOrDefault(p => p.Value == "NO_SOCKET").Key);
        var symbols = new SymbolTable([(0xffffffff81a00000, "tcp_v4_rcv")], KernelSymbols.MaxFunctionSize);
        int resetNoSocket = Enumerable.Range(0, 256).FirstOrDefault(i => enums.ResetReason(i) == "NO_SOCKET");
        byte[][] records = [Record(EventKind.Drop, noSocket, 41234), Record(EventKind.DropReset, resetNoSocket, 41234)];
        Console.WriteLine($"# reasons from {enums.Source}; NO_SOCKET = {noSocket}");
        using (var text = new DropsTextRenderer(Stream.Null, TextWriter.Null, 0, new KernelLocations(symbols)))
        {
            Measure("decode + text", n, records, enums, text);
        }

        using (var json = new DropsJsonRenderer(Stream.Null, 0, new KernelLocations(symbols)))
        {
            Measure("decode + JSON", n, records, enums, json);
        }

        return 0;
    }

    private static void Measure(string name, int n, byte[][] records, KernelEnums enums, IEventSink sink)
    {
        var decoder = new RecordDecoder(sink, enums);
        var rounds = new Rounds();
        for (int round = 0; round < Rounds.Count; round++)
        {
            rounds.Start();
            for (int i = 0; i < n; i++)
            {
                // each drop a new client port, as in a storm
                BinaryPrimitives.WriteUInt16LittleEndian(records[0].AsSpan(90), (ushort)(1024 + (i & 0x7fff)));
                BinaryPrimitives.WriteUInt16LittleEndian(records[1].AsSpan(90), (ushort)(1024 + (i & 0x7fff)));
                decoder.OnRecord(records[0]);
                decoder.OnRecord(records[1]);
                if ((i & 511) == 0)
                {
                    sink.OnIdle(0); // a drain boundary: renderers flush here
                }
            }

            rounds.Stop(round, n);
        }

        rounds.Print(name, 16, "drop (and its reset)");
    }

    /// <summary>A ts_drop_event at the offsets of bpf/tcpscope.h: a SYN from 198.18.0.1 to a closed port 81, no socket.</summary>
    private static byte[] Record(EventKind kind, int reason, ushort sport)
    {
        var r = new byte[DropEvent.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0), (ushort)kind);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), DropEvent.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), 4026532239);
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), 9_000_000_000);
        Encoding.ASCII.GetBytes("connstorm").CopyTo(r, 24);
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(48), kind == EventKind.Drop ? 0xffffffff81a00099 : 0);
        new byte[] { 198, 18, 0, 1 }.CopyTo(r, 56);
        new byte[] { 198, 18, 0, 2 }.CopyTo(r, 72);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(88), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(90), sport);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(92), 81);
        r[94] = 0x02;
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(96), reason);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(100), 0x2 | 0x4);   // packet, timestamp
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(104), 3135830790);  // seq
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(112), 2569856376);  // tsval
        return r;
    }
}

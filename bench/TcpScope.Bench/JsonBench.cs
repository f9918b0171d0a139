using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TcpScope.Decode;
using TcpScope.Output;
using TcpScope.Records;

namespace TcpScope.Bench;

/// <summary>
/// `states --json` per event, A/B/C in one process: the line as written before the record
/// model (<see cref="BeforeSink"/>), field by field (<see cref="StateJsonLine"/>, what the
/// renderer does), and <see cref="StateRecord"/> through the source-generated serialiser.
/// The three take turns in short rounds, so a busy machine slows them alike; it prints the
/// median and minimum ns/event, bytes allocated per event, and each one's median ratio to "before".
///   dotnet run -c Release --project bench/TcpScope.Bench -- json [events_per_round] [rounds]
/// </summary>
internal static class JsonBench
{
    private const long WallOffset = 1_763_900_000_000_000_000;

    public static int Run(byte[][] records, int n, int rounds)
    {
        (string Name, IEventSink Sink)[] sides =
        [
            ("before (Utf8JsonWriter)", new BeforeSink()),
            ("field by field", new FieldsSink()),
            ("record + srcgen", new RecordSink()),
        ];
        var ns = sides.Select(_ => new List<double>()).ToArray();
        var bytes = sides.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round <= rounds; round++)
        {
            for (int s = 0; s < sides.Length; s++)
            {
                var decoder = new RecordDecoder(sides[s].Sink, KernelEnums.BuiltIn);
                long alloc0 = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < n; i++)
                {
                    decoder.OnRecord(records[i & 3]);
                    if ((i & 1023) == 0)
                    {
                        sides[s].Sink.OnIdle(0);
                    }
                }

                double elapsed = Stopwatch.GetElapsedTime(t0).TotalNanoseconds;
                if (round > 0) // the first round warms up
                {
                    ns[s].Add(elapsed / n);
                    bytes[s].Add((GC.GetAllocatedBytesForCurrentThread() - alloc0) / (double)n);
                }
            }
        }

        for (int s = 0; s < sides.Length; s++)
        {
            double ratio = Median([.. ns[s].Zip(ns[0], (a, b) => a / b)]);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{sides[s].Name,-24} {Median(ns[s]),7:0.0} ns/event (min {ns[s].Min():0.0})  {Median(bytes[s]):0.00} bytes allocated/event  x{ratio:0.00} of before"));
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>The states JSON line as JsonLinesRenderer and JsonLines wrote it before the record model (no "schema").</summary>
    private sealed class BeforeSink : IEventSink
    {
        private readonly System.Buffers.ArrayBufferWriter<byte> buffer = new(1 << 17);
        private readonly Utf8JsonWriter json;

        public BeforeSink() =>
            json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        public void OnStateChange(in StateChange e)
        {
            Span<char> text = stackalloc char[AddressText.MaxLength];
            json.WriteStartObject();
            json.WriteString("type"u8, "state"u8);
            json.WriteNumber("ts_ns"u8, e.TimestampNs);
            var utc = new DateTime(DateTime.UnixEpoch.Ticks + ((e.TimestampNs + WallOffset) / 100), DateTimeKind.Utc);
            Span<char> iso = stackalloc char[40];
            utc.TryFormat(iso, out int n, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            json.WriteString("time"u8, iso[..n]);
            json.WriteNumber("netns"u8, e.NetNs);
            Span<char> hex = stackalloc char[18];
            "0x".CopyTo(hex);
            e.Socket.TryFormat(hex[2..], out int hw, "x16");
            json.WriteString("skaddr"u8, hex[..(2 + hw)]);
            json.WriteNumber("pid"u8, e.Pid);
            json.WriteString("comm"u8, CommText.Bytes(e.ProcessComm));
            json.WriteBoolean("owner_known"u8, e.OwnerKnown);
            json.WriteNumber("task_pid"u8, e.TaskPid);
            json.WriteString("task_comm"u8, CommText.Bytes(e.TaskComm));
            json.WriteString("family"u8, e.Family == AddressFamilyKind.IPv6 ? "ipv6"u8 : "ipv4"u8);
            json.WriteString("laddr"u8, text[..AddressText.Format(text, e.Family, e.LocalAddress)]);
            json.WriteNumber("lport"u8, e.LocalPort);
            json.WriteString("raddr"u8, text[..AddressText.Format(text, e.Family, e.RemoteAddress)]);
            json.WriteNumber("rport"u8, e.RemotePort);
            json.WriteString("oldstate"u8, StateNames.Of(e.OldState));
            json.WriteString("newstate"u8, StateNames.Of(e.NewState));
            if (e.DeltaKnown)
            {
                json.WriteNumber("ms"u8, Math.Round(e.DeltaNs / 1e6, 3));
            }
            else
            {
                json.WriteNull("ms"u8);
            }

            json.WriteEndObject();
            json.Flush();
            json.Reset();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            if (buffer.WrittenCount >= 1 << 16)
            {
                OnIdle(0);
            }
        }

        public void OnIdle(long monotonicNowNs)
        {
            Stream.Null.Write(buffer.WrittenSpan);
            buffer.Clear();
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
    }

    private sealed class FieldsSink : IEventSink
    {
        private readonly JsonLines lines = new(Stream.Null, new WallClock(WallOffset));

        public void OnStateChange(in StateChange e)
        {
            StateJsonLine.Write(lines.Json, e, lines.Clock);
            lines.EndLine();
        }

        public void OnIdle(long monotonicNowNs) => lines.Flush();

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
    }

    private sealed class RecordSink : IEventSink
    {
        private readonly JsonLines lines = new(Stream.Null, new WallClock(WallOffset));

        public void OnStateChange(in StateChange e) => lines.Write(StateRecord.From(e, lines.Clock), JsonLines.Context.StateRecord);

        public void OnIdle(long monotonicNowNs) => lines.Flush();

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
    }
}

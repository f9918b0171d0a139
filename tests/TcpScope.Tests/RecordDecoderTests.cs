using System.Buffers.Binary;
using System.Text;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Tests;

public class RecordDecoderTests
{
    private sealed class Collect : IEventSink
    {
        public List<StateChange> Events { get; } = [];

        public List<IcmpError> Icmp { get; } = [];

        public List<PacketDrop> Drops { get; } = [];

        public void OnStateChange(in StateChange e) => Events.Add(e);

        public void OnIcmpError(in IcmpError e) => Icmp.Add(e);

        public void OnSocketEvent(in SocketEvent e)
        {
        }

        public void OnTotals(in SocketTotals e)
        {
        }

        public void OnStack(StackSample e)
        {
        }

        public void OnDrop(in PacketDrop e) => Drops.Add(e);

        public void OnIdle(long monotonicNowNs)
        {
        }
    }

    /// <summary>
    /// A ts_state_event written field by field at the offsets of bpf/tcpscope.h (independent
    /// of the C# struct), as the kernel program would fill it.
    /// </summary>
    private static byte[] Record(byte oldState, byte newState, ushort family = 2, uint flags = 3)
    {
        var r = new byte[StateEvent.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0), 1);          // kind = TS_EVENT_STATE
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), 120);        // size
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), 4026532177); // netns
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), 5_557_262_699_972); // ts_ns
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(16), 3728);      // pid
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(20), 3730);      // tid
        Encoding.ASCII.GetBytes("curl").CopyTo(r, 24);                   // comm
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(40), 0xffff888102e08940); // skaddr
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(48), 243_000);   // delta_ns
        new byte[] { 198, 18, 0, 1 }.CopyTo(r, 56);                        // saddr
        new byte[] { 198, 18, 0, 2 }.CopyTo(r, 72);                        // daddr
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(88), family);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(90), 36876);     // sport
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(92), 80);        // dport
        r[94] = oldState;
        r[95] = newState;
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(96), 3728);      // owner_pid
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(100), flags);
        Encoding.ASCII.GetBytes("curl-owner").CopyTo(r, 104);             // owner_comm
        return r;
    }

    [Fact]
    public void Decodes_every_field_of_a_state_record()
    {
        var sink = new Collect();
        var decoder = new RecordDecoder(sink, KernelEnums.BuiltIn);

        decoder.OnRecord(Record(oldState: 2, newState: 1));

        StateChange e = Assert.Single(sink.Events);
        Assert.Equal(5_557_262_699_972, e.TimestampNs);
        Assert.Equal(4026532177u, e.NetNs);
        Assert.Equal(0xffff888102e08940, e.Socket);
        Assert.Equal(3728u, e.TaskPid);
        Assert.Equal("curl", CommText.ToString(e.TaskComm));
        Assert.Equal("curl-owner", CommText.ToString(e.OwnerComm));
        Assert.True(e.OwnerKnown);
        Assert.True(e.DeltaKnown);
        Assert.Equal(243_000, e.DeltaNs);
        Assert.Equal(AddressFamilyKind.IPv4, e.Family);
        Assert.Equal("198.18.0.1", AddressText.ToString(e.Family, e.LocalAddress));
        Assert.Equal("198.18.0.2", AddressText.ToString(e.Family, e.RemoteAddress));
        Assert.Equal(36876, e.LocalPort);
        Assert.Equal(80, e.RemotePort);
        Assert.Equal(TcpState.SYN_SENT, e.OldState);
        Assert.Equal(TcpState.ESTABLISHED, e.NewState);
        Assert.Equal(1, decoder.Events);
    }

    [Fact]
    public void Decodes_every_field_of_an_icmp_record()
    {
        // ts_icmp_event at the offsets of bpf/tcpscope.h: "fragmentation needed" from a router
        var r = new byte[IcmpEvent.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0), 10);         // kind = TS_EVENT_ICMP_ERROR
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), 80);         // size
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), 4026532177); // netns
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), 7_000_000);  // ts_ns
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(40), 0xffff888102e08940); // skaddr
        new byte[] { 198, 18, 9, 1 }.CopyTo(r, 48);                        // offender
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(64), 2);         // family
        r[66] = 3;                                                          // type
        r[67] = 4;                                                          // code
        r[68] = 1;                                                          // state: ESTABLISHED
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(72), 90);         // error: EMSGSIZE
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(76), 1400);      // info: next-hop MTU
        var sink = new Collect();
        var decoder = new RecordDecoder(sink, KernelEnums.BuiltIn);

        decoder.OnRecord(r);

        IcmpError e = Assert.Single(sink.Icmp);
        Assert.Equal((7_000_000L, 4026532177u, 0xffff888102e08940), (e.TimestampNs, e.NetNs, e.Socket));
        Assert.Equal(TcpState.ESTABLISHED, e.State);
        Assert.Equal((byte)3, e.Type);
        Assert.Equal((byte)4, e.Code);
        Assert.Equal(90, e.Error);
        Assert.Equal(1400u, e.Info);
        Assert.Equal("ICMP fragmentation needed (next-hop MTU 1400) from 198.18.9.1", e.Text);
        Assert.Equal(0, decoder.Malformed);
    }

    [Fact]
    public void Owner_falls_back_to_the_task_on_cpu_when_unknown()
    {
        var sink = new Collect();
        new RecordDecoder(sink, KernelEnums.BuiltIn).OnRecord(Record(10, 3, flags: 0));

        StateChange e = Assert.Single(sink.Events);
        Assert.False(e.OwnerKnown);
        Assert.False(e.DeltaKnown);
        Assert.Equal(3728u, e.Pid);
        Assert.Equal("curl", CommText.ToString(e.ProcessComm));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(39)]
    [InlineData(100)]
    public void Short_records_are_counted_as_malformed_not_decoded(int length)
    {
        var sink = new Collect();
        var decoder = new RecordDecoder(sink, KernelEnums.BuiltIn);

        decoder.OnRecord(Record(2, 1).AsSpan(0, length));

        Assert.Empty(sink.Events);
        Assert.Equal(1, decoder.Malformed);
    }

    [Fact]
    public void Unknown_kinds_are_skipped()
    {
        byte[] r = Record(2, 1);
        r[0] = 99;
        var sink = new Collect();
        var decoder = new RecordDecoder(sink, KernelEnums.BuiltIn);

        decoder.OnRecord(r);

        Assert.Empty(sink.Events);
        Assert.Equal(1, decoder.Malformed);
    }

    [Fact]
    public void Decoding_does_not_allocate()
    {
        byte[] r = Record(2, 1);
        var decoder = new RecordDecoder(new NullEventSink(), KernelEnums.BuiltIn);
        decoder.OnRecord(r); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            decoder.OnRecord(r);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using System.Buffers.Binary;
using System.Text;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Tests;

/// <summary>ts_drop_event records into <see cref="PacketDrop"/>: every field, and the reason by the name the kernel (or the recording) gives its number.</summary>
public class DropDecodingTests
{
    private sealed class Collect : IEventSink
    {
        public List<PacketDrop> Drops { get; } = [];

        public void OnDrop(in PacketDrop e) => Drops.Add(e);

        public void OnStateChange(in StateChange e) => throw new Xunit.Sdk.XunitException("a drop record decoded as a state change");

        public void OnSocketEvent(in SocketEvent e) => throw new Xunit.Sdk.XunitException("a drop record decoded as a socket event");

        public void OnTotals(in SocketTotals e) => throw new Xunit.Sdk.XunitException("a drop record decoded as totals");

        public void OnIcmpError(in IcmpError e) => throw new Xunit.Sdk.XunitException("a drop record decoded as an ICMP error");

        public void OnStack(StackSample e) => throw new Xunit.Sdk.XunitException("a drop record decoded as a stack");

        public void OnIdle(long monotonicNowNs)
        {
        }
    }

    /// <summary>
    /// A ts_drop_event written field by field at the offsets of bpf/tcpscope.h (independent of the
    /// C# struct). The values are those `tcpscope drops` printed on 6.18 for `lab timewait-syn
    /// --variant lower-seq` (a SYN with seq 100000 below the TIME_WAIT socket's rcv_nxt).
    /// </summary>
    private static byte[] TimeWaitRecord(ushort kind = 12, int reason = 2)
    {
        var r = new byte[DropEvent.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0), kind);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), 176);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), 4026532239);
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), 9_000_000_000);
        Encoding.ASCII.GetBytes("swapper/1").CopyTo(r, 24);
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(40), 0xffff888104c2a000); // skaddr
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(48), 0xffffffff81e0c299); // location
        new byte[] { 198, 18, 0, 1 }.CopyTo(r, 56);
        new byte[] { 198, 18, 0, 2 }.CopyTo(r, 72);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(88), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(90), 54321);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(92), 80);
        r[94] = 0x02;                                                          // SYN
        r[95] = 6;                                                             // TIME_WAIT
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(96), reason);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(100), 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x40); // socket, packet, timestamp, owner (listener's), TIME_WAIT
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(104), 3135830790);   // seq
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(108), 0);            // ack
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(112), 2569856376);   // tsval
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(116), 0);            // tsecr
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(120), 0);            // payload
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(124), 21312);        // owner_pid
        Encoding.ASCII.GetBytes("lab-server").CopyTo(r, 128);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(144), 7);            // ack_backlog (ignored: no LISTENER flag)
        r[156] = 6;                                                            // tw_substate
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(160), 3135930790);   // tw_rcv_nxt
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(164), 1234567);      // tw_snd_nxt
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(168), 2569857376);   // tw_ts_recent
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(172), 4242);          // tw_ts_recent_stamp
        return r;
    }

    private static KernelEnums Enums(params (long Value, string Name)[] drops) => KernelEnums.FromTables(
        [
            KernelEnums.BuiltIn.Tables[0],
            new KernelEnumTable(KernelEnumTable.DropReasons, [.. drops.Select(d => new KeyValuePair<long, string>(d.Value, "SKB_DROP_REASON_" + d.Name))]),
            new KernelEnumTable(KernelEnumTable.ResetReasons, [new(1, "SK_RST_REASON_NO_SOCKET")]),
        ],
        "recording");

    [Fact]
    public void Decodes_every_field_of_a_drop_on_a_time_wait_socket()
    {
        var sink = new Collect();
        new RecordDecoder(sink, Enums((2, "NOT_SPECIFIED"), (38, "TCP_RFC7323_TW_PAWS"))).OnRecord(TimeWaitRecord());

        PacketDrop d = Assert.Single(sink.Drops);
        Assert.Equal(DropKind.Drop, d.Kind);
        Assert.Equal(9_000_000_000, d.TimestampNs);
        Assert.Equal(4026532239u, d.NetNs);
        Assert.Equal(("NOT_SPECIFIED", 2), (d.Reason, d.ReasonNumber));
        Assert.Equal(0xffffffff81e0c299ul, d.Location);
        Assert.Equal(0xffff888104c2a000ul, d.Socket);
        Assert.Equal(TcpState.TIME_WAIT, d.State);
        Assert.Equal(("198.18.0.1", (ushort)54321, "198.18.0.2", (ushort)80), (d.SourceText, d.SourcePort, d.DestinationText, d.DestinationPort));
        Assert.Equal((byte)0x02, d.TcpFlags);
        Assert.Equal((3135830790u, 2569856376u), (d.Seq, d.TsVal));
        Assert.True(d.HasSocket && d.HasPacket && d.HasTimestamp && d.OwnerKnown && d.HasTimeWait);
        Assert.False(d.HasListenerQueues);
        Assert.Equal((21312u, "lab-server"), (d.OwnerPid, CommText.ToString(d.OwnerComm)));
        Assert.Equal((TcpState.TIME_WAIT, 3135930790u, 1234567u, 2569857376u, 4242), (d.TwSubstate, d.TwRcvNxt, d.TwSndNxt, d.TwTsRecent, d.TwTsRecentStamp));
    }

    [Fact]
    public void A_reason_is_named_by_the_table_it_was_recorded_with_not_by_its_number_here()
    {
        // the same number means another reason on another kernel: the recording's table decides
        var sink = new Collect();
        new RecordDecoder(sink, Enums((2, "TCP_RFC7323_TW_PAWS"))).OnRecord(TimeWaitRecord(reason: 2));
        new RecordDecoder(sink, Enums((5, "NOT_SPECIFIED"))).OnRecord(TimeWaitRecord(reason: 2));

        Assert.Equal(["TCP_RFC7323_TW_PAWS", null], sink.Drops.Select(d => d.Reason));
    }

    [Fact]
    public void A_reset_record_is_named_from_the_reset_reasons()
    {
        var sink = new Collect();
        new RecordDecoder(sink, Enums((1, "NOT_DROPPED_YET_IS_NO_RESET"))).OnRecord(TimeWaitRecord(kind: 13, reason: 1));

        PacketDrop d = Assert.Single(sink.Drops);
        Assert.Equal((DropKind.Reset, "NO_SOCKET"), (d.Kind, d.Reason));
    }

    [Fact]
    public void Drop_reasons_from_btf_drop_their_prefix_and_the_max_and_mask_members()
    {
        KernelEnums e = Enums((3, "NO_SOCKET"), (128, "MAX"), (4294901760, "SUBSYS_MASK"));

        Assert.Equal("NO_SOCKET", e.DropReason(3));
        Assert.Equal([3L], e.DropReasons.Keys);
        Assert.Null(e.DropReason(-1));
    }

    [Fact]
    public void The_kernel_reason_filter_is_a_bitmap_of_four_words()
    {
        ulong[] words = Sources.FilterConstants.ReasonBitmap([3, 40, 104]);

        Assert.Equal([(1UL << 3) | (1UL << 40), 1UL << 40, 0UL, 0UL], words);
        Assert.Throws<ArgumentException>(() => Sources.FilterConstants.ReasonBitmap([256]));
    }
}

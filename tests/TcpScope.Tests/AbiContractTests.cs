using System.Runtime.CompilerServices;
using TcpScope.Bpf;
using TcpScope.Decode.Abi;

namespace TcpScope.Tests;

/// <summary>
/// The C# mirrors of bpf/tcpscope.h against the compiled object's BTF: every member at the
/// same offset with the same size, and nothing on either side that the other lacks.
/// </summary>
public class AbiContractTests
{
    private static unsafe int Offset<TStruct, TField>(ref TStruct s, ref TField f) =>
        (int)Unsafe.ByteOffset(ref Unsafe.As<TStruct, byte>(ref s), ref Unsafe.As<TField, byte>(ref f));

    public static TheoryData<string> Objects => new() { EmbeddedObjects.States, EmbeddedObjects.Connections };

    /// <summary>Every object that writes into the shared ring (drops sends no state events).</summary>
    public static TheoryData<string> RingObjects => new() { EmbeddedObjects.States, EmbeddedObjects.Connections, EmbeddedObjects.Drops };

    [Theory]
    [MemberData(nameof(RingObjects))]
    public void Event_header_matches_the_object_btf(string objectName)
    {
        var h = default(EventHeader);
        var expected = new Dictionary<string, (int Offset, int Size)>
        {
            ["kind"] = (Offset(ref h, ref Unsafe.AsRef(in h.Kind)), sizeof(ushort)),
            ["size"] = (Offset(ref h, ref Unsafe.AsRef(in h.RecordSize)), sizeof(ushort)),
            ["netns"] = (Offset(ref h, ref Unsafe.AsRef(in h.NetNs)), sizeof(uint)),
            ["ts_ns"] = (Offset(ref h, ref Unsafe.AsRef(in h.TimestampNs)), sizeof(ulong)),
            ["pid"] = (Offset(ref h, ref Unsafe.AsRef(in h.Pid)), sizeof(uint)),
            ["tid"] = (Offset(ref h, ref Unsafe.AsRef(in h.Tid)), sizeof(uint)),
            ["comm"] = (Offset(ref h, ref Unsafe.AsRef(in h.Comm)), Unsafe.SizeOf<Comm>()),
        };

        AssertLayout(objectName, "ts_event_header", expected, Unsafe.SizeOf<EventHeader>(), EventHeader.Size);
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void State_event_matches_the_object_btf(string objectName)
    {
        var e = default(StateEvent);
        var expected = new Dictionary<string, (int Offset, int Size)>
        {
            ["hdr"] = (Offset(ref e, ref Unsafe.AsRef(in e.Header)), Unsafe.SizeOf<EventHeader>()),
            ["skaddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SkAddr)), sizeof(ulong)),
            ["delta_ns"] = (Offset(ref e, ref Unsafe.AsRef(in e.DeltaNs)), sizeof(ulong)),
            ["saddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SAddr)), 16),
            ["daddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.DAddr)), 16),
            ["family"] = (Offset(ref e, ref Unsafe.AsRef(in e.Family)), sizeof(ushort)),
            ["sport"] = (Offset(ref e, ref Unsafe.AsRef(in e.SPort)), sizeof(ushort)),
            ["dport"] = (Offset(ref e, ref Unsafe.AsRef(in e.DPort)), sizeof(ushort)),
            ["oldstate"] = (Offset(ref e, ref Unsafe.AsRef(in e.OldState)), sizeof(byte)),
            ["newstate"] = (Offset(ref e, ref Unsafe.AsRef(in e.NewState)), sizeof(byte)),
            ["owner_pid"] = (Offset(ref e, ref Unsafe.AsRef(in e.OwnerPid)), sizeof(uint)),
            ["flags"] = (Offset(ref e, ref Unsafe.AsRef(in e.Flags)), sizeof(uint)),
            ["owner_comm"] = (Offset(ref e, ref Unsafe.AsRef(in e.OwnerComm)), 16),
        };

        AssertLayout(objectName, "ts_state_event", expected, Unsafe.SizeOf<StateEvent>(), StateEvent.Size);
    }

    [Fact]
    public void Sock_event_matches_the_object_btf()
    {
        var e = default(SockEvent);
        var expected = new Dictionary<string, (int Offset, int Size)>
        {
            ["hdr"] = (Offset(ref e, ref Unsafe.AsRef(in e.Header)), Unsafe.SizeOf<EventHeader>()),
            ["skaddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SkAddr)), sizeof(ulong)),
            ["saddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SAddr)), 16),
            ["daddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.DAddr)), 16),
            ["family"] = (Offset(ref e, ref Unsafe.AsRef(in e.Family)), sizeof(ushort)),
            ["sport"] = (Offset(ref e, ref Unsafe.AsRef(in e.SPort)), sizeof(ushort)),
            ["dport"] = (Offset(ref e, ref Unsafe.AsRef(in e.DPort)), sizeof(ushort)),
            ["state"] = (Offset(ref e, ref Unsafe.AsRef(in e.State)), sizeof(byte)),
            ["flags"] = (Offset(ref e, ref Unsafe.AsRef(in e.Flags)), sizeof(byte)),
            ["value"] = (Offset(ref e, ref Unsafe.AsRef(in e.Value)), sizeof(int)),
            ["aux"] = (Offset(ref e, ref Unsafe.AsRef(in e.Aux)), sizeof(uint)),
        };

        AssertLayout(EmbeddedObjects.Connections, "ts_sock_event", expected, Unsafe.SizeOf<SockEvent>(), SockEvent.Size);
    }

    [Fact]
    public void Icmp_event_matches_the_object_btf()
    {
        var e = default(IcmpEvent);
        var expected = new Dictionary<string, (int Offset, int Size)>
        {
            ["hdr"] = (Offset(ref e, ref Unsafe.AsRef(in e.Header)), Unsafe.SizeOf<EventHeader>()),
            ["skaddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SkAddr)), sizeof(ulong)),
            ["offender"] = (Offset(ref e, ref Unsafe.AsRef(in e.Offender)), 16),
            ["family"] = (Offset(ref e, ref Unsafe.AsRef(in e.Family)), sizeof(ushort)),
            ["type"] = (Offset(ref e, ref Unsafe.AsRef(in e.Type)), sizeof(byte)),
            ["code"] = (Offset(ref e, ref Unsafe.AsRef(in e.Code)), sizeof(byte)),
            ["state"] = (Offset(ref e, ref Unsafe.AsRef(in e.State)), sizeof(byte)),
            ["pad"] = (Offset(ref e, ref Unsafe.AsRef(in e.Pad0)), 3),
            ["error"] = (Offset(ref e, ref Unsafe.AsRef(in e.Error)), sizeof(int)),
            ["info"] = (Offset(ref e, ref Unsafe.AsRef(in e.Info)), sizeof(uint)),
        };

        AssertLayout(EmbeddedObjects.Connections, "ts_icmp_event", expected, Unsafe.SizeOf<IcmpEvent>(), IcmpEvent.Size);
    }

    [Fact]
    public void Totals_event_matches_the_object_btf()
    {
        var e = default(TotalsEvent);
        var expected = new Dictionary<string, (int Offset, int Size)>
        {
            ["hdr"] = (Offset(ref e, ref Unsafe.AsRef(in e.Header)), Unsafe.SizeOf<EventHeader>()),
            ["skaddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SkAddr)), sizeof(ulong)),
            ["bytes_acked"] = (Offset(ref e, ref Unsafe.AsRef(in e.BytesAcked)), sizeof(ulong)),
            ["bytes_received"] = (Offset(ref e, ref Unsafe.AsRef(in e.BytesReceived)), sizeof(ulong)),
            ["segs_out"] = (Offset(ref e, ref Unsafe.AsRef(in e.SegsOut)), sizeof(uint)),
            ["segs_in"] = (Offset(ref e, ref Unsafe.AsRef(in e.SegsIn)), sizeof(uint)),
            ["total_retrans"] = (Offset(ref e, ref Unsafe.AsRef(in e.TotalRetrans)), sizeof(uint)),
            ["srtt_us"] = (Offset(ref e, ref Unsafe.AsRef(in e.SrttUs)), sizeof(uint)),
            ["flags"] = (Offset(ref e, ref Unsafe.AsRef(in e.Flags)), sizeof(uint)),
            ["pad"] = (Offset(ref e, ref Unsafe.AsRef(in e.Pad)), sizeof(uint)),
            ["bytes_sent"] = (Offset(ref e, ref Unsafe.AsRef(in e.BytesSent)), sizeof(ulong)),
            ["bytes_retrans"] = (Offset(ref e, ref Unsafe.AsRef(in e.BytesRetrans)), sizeof(ulong)),
        };

        AssertLayout(EmbeddedObjects.Connections, "ts_totals_event", expected, Unsafe.SizeOf<TotalsEvent>(), TotalsEvent.Size);
    }

    [Theory]
    [InlineData(EmbeddedObjects.Connections)]
    [InlineData(EmbeddedObjects.Drops)]
    public void Stack_event_matches_the_object_btf(string objectName)
    {
        var e = default(StackEvent);
        var expected = new Dictionary<string, (int Offset, int Size)>
        {
            ["hdr"] = (Offset(ref e, ref Unsafe.AsRef(in e.Header)), Unsafe.SizeOf<EventHeader>()),
            ["skaddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SkAddr)), sizeof(ulong)),
            ["where"] = (Offset(ref e, ref Unsafe.AsRef(in e.Where)), sizeof(uint)),
            ["frames"] = (Offset(ref e, ref Unsafe.AsRef(in e.Frames)), sizeof(uint)),
            ["ips"] = (Offset(ref e, ref Unsafe.AsRef(in e.Ips)), StackEvent.Depth * sizeof(ulong)),
        };

        AssertLayout(objectName, "ts_stack_event", expected, Unsafe.SizeOf<StackEvent>(), StackEvent.Size);
    }

    [Fact]
    public void Drop_event_matches_the_object_btf()
    {
        var e = default(DropEvent);
        var expected = new Dictionary<string, (int Offset, int Size)>
        {
            ["hdr"] = (Offset(ref e, ref Unsafe.AsRef(in e.Header)), Unsafe.SizeOf<EventHeader>()),
            ["skaddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SkAddr)), sizeof(ulong)),
            ["location"] = (Offset(ref e, ref Unsafe.AsRef(in e.Location)), sizeof(ulong)),
            ["saddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.SAddr)), 16),
            ["daddr"] = (Offset(ref e, ref Unsafe.AsRef(in e.DAddr)), 16),
            ["family"] = (Offset(ref e, ref Unsafe.AsRef(in e.Family)), sizeof(ushort)),
            ["sport"] = (Offset(ref e, ref Unsafe.AsRef(in e.SPort)), sizeof(ushort)),
            ["dport"] = (Offset(ref e, ref Unsafe.AsRef(in e.DPort)), sizeof(ushort)),
            ["tcp_flags"] = (Offset(ref e, ref Unsafe.AsRef(in e.TcpFlags)), sizeof(byte)),
            ["state"] = (Offset(ref e, ref Unsafe.AsRef(in e.State)), sizeof(byte)),
            ["reason"] = (Offset(ref e, ref Unsafe.AsRef(in e.Reason)), sizeof(int)),
            ["flags"] = (Offset(ref e, ref Unsafe.AsRef(in e.Flags)), sizeof(uint)),
            ["seq"] = (Offset(ref e, ref Unsafe.AsRef(in e.Seq)), sizeof(uint)),
            ["ack"] = (Offset(ref e, ref Unsafe.AsRef(in e.Ack)), sizeof(uint)),
            ["tsval"] = (Offset(ref e, ref Unsafe.AsRef(in e.TsVal)), sizeof(uint)),
            ["tsecr"] = (Offset(ref e, ref Unsafe.AsRef(in e.TsEcr)), sizeof(uint)),
            ["payload"] = (Offset(ref e, ref Unsafe.AsRef(in e.Payload)), sizeof(uint)),
            ["owner_pid"] = (Offset(ref e, ref Unsafe.AsRef(in e.OwnerPid)), sizeof(uint)),
            ["owner_comm"] = (Offset(ref e, ref Unsafe.AsRef(in e.OwnerComm)), 16),
            ["ack_backlog"] = (Offset(ref e, ref Unsafe.AsRef(in e.AckBacklog)), sizeof(uint)),
            ["max_ack_backlog"] = (Offset(ref e, ref Unsafe.AsRef(in e.MaxAckBacklog)), sizeof(uint)),
            ["syn_qlen"] = (Offset(ref e, ref Unsafe.AsRef(in e.SynQueueLength)), sizeof(uint)),
            ["tw_substate"] = (Offset(ref e, ref Unsafe.AsRef(in e.TwSubstate)), sizeof(byte)),
            ["pad"] = (Offset(ref e, ref Unsafe.AsRef(in e.Pad0)), 3),
            ["tw_rcv_nxt"] = (Offset(ref e, ref Unsafe.AsRef(in e.TwRcvNxt)), sizeof(uint)),
            ["tw_snd_nxt"] = (Offset(ref e, ref Unsafe.AsRef(in e.TwSndNxt)), sizeof(uint)),
            ["tw_ts_recent"] = (Offset(ref e, ref Unsafe.AsRef(in e.TwTsRecent)), sizeof(uint)),
            ["tw_ts_recent_stamp"] = (Offset(ref e, ref Unsafe.AsRef(in e.TwTsRecentStamp)), sizeof(int)),
        };

        AssertLayout(EmbeddedObjects.Drops, "ts_drop_event", expected, Unsafe.SizeOf<DropEvent>(), DropEvent.Size);
    }

    [Fact]
    public void Drop_count_key_matches_the_object_btf()
    {
        var k = default(DropCountKey);
        var expected = new Dictionary<string, (int Offset, int Size)>
        {
            ["netns"] = (Offset(ref k, ref Unsafe.AsRef(in k.NetNs)), sizeof(uint)),
            ["reason"] = (Offset(ref k, ref Unsafe.AsRef(in k.Reason)), sizeof(int)),
            ["location"] = (Offset(ref k, ref Unsafe.AsRef(in k.Location)), sizeof(ulong)),
            ["state"] = (Offset(ref k, ref Unsafe.AsRef(in k.State)), sizeof(byte)),
            ["pad"] = (Offset(ref k, ref Unsafe.AsRef(in k.Pad0)), 7),
        };

        AssertLayout(EmbeddedObjects.Drops, "ts_drop_count_key", expected, Unsafe.SizeOf<DropCountKey>(), DropCountKey.Size);
    }

    [Fact]
    public void Drops_object_has_the_reason_filter_the_loader_writes_and_every_program_of_its_family()
    {
        using BpfObject obj = BpfObject.OpenEmbedded(EmbeddedObjects.Drops);
        var vars = obj.Btf.DataSectionVariables(".rodata").ToDictionary(v => v.Name, v => v.Size);

        Assert.Equal(1u, vars["filter_reason_set"]);
        Assert.Equal(1u, vars["want_stacks"]);
        Assert.Equal(1u, vars["count_only"]);
        Assert.Equal((uint)(Sources.FilterConstants.ReasonWords * sizeof(ulong)), vars["filter_reasons"]);
        Assert.Equal(Probes.ProbeFamily.Drops.Programs.Select(p => p.Name).Order(), obj.Programs.Select(p => p.Name).Order());
    }

    [Theory]
    [MemberData(nameof(RingObjects))]
    public void Filter_constants_exist_with_the_sizes_the_loader_writes(string objectName)
    {
        using BpfObject obj = BpfObject.OpenEmbedded(objectName);
        var vars = obj.Btf.DataSectionVariables(".rodata").ToDictionary(v => v.Name, v => v.Size);

        Assert.Equal(1u, vars["timer_drain"]);
        Assert.Equal(2u, vars["filter_family"]);
        Assert.Equal(4u, vars["filter_netns"]);
        Assert.Equal(4u, vars["filter_pid"]);
        Assert.Equal((uint)(2 * Sources.StatesFilter.MaxPorts), vars["filter_lports"]);
        Assert.Equal((uint)(2 * Sources.StatesFilter.MaxPorts), vars["filter_rports"]);
        Assert.Equal(1u, vars["filter_comm_set"]);
        Assert.Equal((uint)Unsafe.SizeOf<Comm>(), vars["filter_comm"]);
    }

    [Fact]
    public void Connections_object_has_every_program_the_source_attaches()
    {
        using BpfObject obj = BpfObject.OpenEmbedded(EmbeddedObjects.Connections);
        var vars = obj.Btf.DataSectionVariables(".rodata").ToDictionary(v => v.Name, v => v.Size);

        Assert.Equal(1u, vars["want_stacks"]);
        Assert.Equal(Probes.ProbeFamily.Conn.Programs.Select(p => p.Name).Order(), obj.Programs.Select(p => p.Name).Order());
    }

    private static void AssertLayout(string objectName, string structName, Dictionary<string, (int Offset, int Size)> expected, int csharpSize, int declaredSize)
    {
        using BpfObject obj = BpfObject.OpenEmbedded(objectName);
        IReadOnlyList<BtfMember> members = obj.Btf.Struct(structName)
            ?? throw new Xunit.Sdk.XunitException($"{structName} is not in {objectName}'s BTF");

        Assert.Equal(expected.Keys.Order(), members.Select(m => m.Name).Order());
        foreach (BtfMember m in members)
        {
            Assert.True(expected[m.Name] == ((int)m.Offset, (int)m.Size), $"{structName}.{m.Name}: C at {m.Offset} size {m.Size}, C# at {expected[m.Name].Offset} size {expected[m.Name].Size}");
        }

        Assert.Equal(declaredSize, csharpSize);
        Assert.Equal(declaredSize, members.Max(m => (int)(m.Offset + m.Size)));
    }
}

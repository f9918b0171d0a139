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

    public static TheoryData<string> Objects => new() { EmbeddedObjects.States };

    [Theory]
    [MemberData(nameof(Objects))]
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

    [Fact]
    public void State_event_matches_the_object_btf()
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

        AssertLayout(EmbeddedObjects.States, "ts_state_event", expected, Unsafe.SizeOf<StateEvent>(), StateEvent.Size);
    }

    [Fact]
    public void Filter_constants_exist_with_the_sizes_the_loader_writes()
    {
        using BpfObject obj = BpfObject.OpenEmbedded(EmbeddedObjects.States);
        var vars = obj.Btf.DataSectionVariables(".rodata").ToDictionary(v => v.Name, v => v.Size);

        Assert.Equal(1u, vars["timer_drain"]);
        Assert.Equal(2u, vars["filter_family"]);
        Assert.Equal(4u, vars["filter_netns"]);
        Assert.Equal(4u, vars["filter_pid"]);
        Assert.Equal((uint)(2 * Sources.StatesFilter.MaxPorts), vars["filter_lports"]);
        Assert.Equal((uint)(2 * Sources.StatesFilter.MaxPorts), vars["filter_rports"]);
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

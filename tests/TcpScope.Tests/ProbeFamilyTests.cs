using TcpScope.Bpf;
using TcpScope.Host;
using TcpScope.Interop;
using TcpScope.Probes;

namespace TcpScope.Tests;

/// <summary>The families a probe set is made of, checked against the compiled objects, and the verdict wording.</summary>
public class ProbeFamilyTests
{
    public static TheoryData<string> Families => new() { "states", "conn", "drops", "probes" };

    private static ProbeFamily Family(string name) => name switch
    {
        "states" => ProbeFamily.States,
        "conn" => ProbeFamily.Conn,
        "drops" => ProbeFamily.Drops,
        _ => ProbeFamily.Upgrades,
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void A_family_lists_exactly_the_programs_of_its_object(string name)
    {
        ProbeFamily family = Family(name);
        using BpfObject obj = BpfObject.OpenEmbedded(family.ObjectName);

        Assert.Equal(obj.Programs.Select(p => p.Name).Order(), family.Programs.Select(p => p.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Every_program_on_the_state_hook_is_on_sock_inet_sock_set_state(string name)
    {
        ProbeFamily family = Family(name);
        using BpfObject obj = BpfObject.OpenEmbedded(family.ObjectName);

        foreach (ProbeProgram p in family.Programs.Where(p => p.Hook == ProbeFamily.StateHook))
        {
            Assert.EndsWith("/inet_sock_set_state", obj.Programs.Single(x => x.Name == p.Name).Section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_families_that_follow_sockets_have_the_shared_maps_and_the_doctor_only_one_has_none()
    {
        string[] shared = ["events", "counters", "sockets", "listeners"];
        using BpfObject states = BpfObject.OpenEmbedded(EmbeddedObjects.States);
        using BpfObject conn = BpfObject.OpenEmbedded(EmbeddedObjects.Connections);
        using BpfObject probes = BpfObject.OpenEmbedded(EmbeddedObjects.Probes);
        using BpfObject drops = BpfObject.OpenEmbedded(EmbeddedObjects.Drops);

        Assert.All(shared, m => Assert.True(states.HasMap(m) && conn.HasMap(m) && drops.HasMap(m), m));
        Assert.All(shared, m => Assert.False(probes.HasMap(m), m));
        Assert.True(conn.HasMap("failed_attempts"));
        Assert.False(states.HasMap("failed_attempts"));
    }

    [Fact]
    public void The_shared_maps_have_the_same_definition_in_every_object()
    {
        using BpfObject states = BpfObject.OpenEmbedded(EmbeddedObjects.States);
        using BpfObject conn = BpfObject.OpenEmbedded(EmbeddedObjects.Connections);
        using BpfObject drops = BpfObject.OpenEmbedded(EmbeddedObjects.Drops);

        foreach (string t in new[] { "sock_info", "listener_key", "listener_owner" })
        {
            IReadOnlyList<BtfMember> a = states.Btf.Struct(t) ?? throw new Xunit.Sdk.XunitException($"{t} not in states");
            IReadOnlyList<BtfMember> b = conn.Btf.Struct(t) ?? throw new Xunit.Sdk.XunitException($"{t} not in conn");
            IReadOnlyList<BtfMember> c = drops.Btf.Struct(t) ?? throw new Xunit.Sdk.XunitException($"{t} not in drops");
            Assert.Equal(a, b);
            Assert.Equal(a, c);
        }
    }

    [Fact]
    public void Conn_is_preferred_on_the_state_hook_and_states_has_the_classic_tracepoint_as_its_fallback()
    {
        Assert.Equal("conn_state", Assert.Single(ProbeFamily.Conn.Programs, p => p.Hook == ProbeFamily.StateHook).Name);
        Assert.Equal(["states_btf", "states_tp"], ProbeFamily.States.Programs.Where(p => p.Hook == ProbeFamily.StateHook).Select(p => p.Name));
        Assert.True(ProbeFamily.Conn.Rank < ProbeFamily.States.Rank);
    }

    [Fact]
    public void Without_and_WithAttachTarget_change_a_copy_only()
    {
        ProbeFamily tpOnly = ProbeFamily.States.Without("states_btf");
        ProbeFamily bogus = ProbeFamily.Conn.WithAttachTarget("conn_retransmit", "nowhere");

        Assert.Equal(["states_tp"], tpOnly.Programs.Select(p => p.Name));
        Assert.Equal(2, ProbeFamily.States.Programs.Count);
        Assert.Equal("nowhere", bogus.Program("conn_retransmit").AttachTarget);
        Assert.Null(ProbeFamily.Conn.Program("conn_retransmit").AttachTarget);
        Assert.Throws<ArgumentException>(() => ProbeFamily.States.Without("no_such_program"));
    }

    [Theory]
    [InlineData("tp_btf/tcp_retransmit_skb", LibC.ESRCH, ProbeStatus.NotSupported, "tp_btf: its attach point is not in this kernel (ESRCH)")]
    [InlineData("tp_btf/inet_sock_set_state", LibC.ENOENT, ProbeStatus.NotSupported, "tp_btf: not available (ENOENT)")]
    [InlineData("fentry/tcp_rcv_state_process", LibC.EPERM, ProbeStatus.NotSupported, "fentry: refused by the kernel (EPERM)")]
    [InlineData("kprobe/tcp_rcv_state_process", LibC.ENOENT, ProbeStatus.NotSupported, "kprobe: not available (ENOENT)")]
    [InlineData("tp_btf/sys_exit", LibC.EPERM, ProbeStatus.Failed, "permission denied (EPERM)")]
    public void A_verdict_says_whether_the_kernel_lacks_it_or_something_failed(string section, int errno, ProbeStatus status, string start)
    {
        (ProbeStatus s, string detail) = ProbeVerdicts.Explain(section, new LibbpfException("loading", errno));

        Assert.Equal(status, s);
        Assert.StartsWith(start, detail, StringComparison.Ordinal);
    }
}

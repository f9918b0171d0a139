using TcpScope.Decode;
using TcpScope.Probes;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>The drops family in a probe set: its fallback, and what it says it lacks.</summary>
public class DropsProbeSetTests
{
    [PrivilegedFact]
    public void When_tp_btf_kfree_skb_cannot_attach_the_classic_tracepoint_takes_the_hook_and_says_what_it_lacks()
    {
        Host.Tracefs.EnsureMounted();
        ProbeFamily broken = ProbeFamily.Drops.WithAttachTarget("drops_skb", "tcpscope_no_such_tracepoint");

        using ProbeSetSource s = ProbeSetSource.Start(broken, [], new StatesFilter(), new TraceOptions { RingBytes = 1 << 20, MaxSockets = 1024 }, () => KernelEnums.BuiltIn);

        Assert.Contains("drops_skb_tp", s.Attached);
        Assert.DoesNotContain("drops_skb", s.Attached);
        string line = Assert.Single(s.Degraded);
        Assert.StartsWith("drops/drops_skb (tp_btf/kfree_skb) is not usable here: ", line, StringComparison.Ordinal);
        Assert.Contains("kfree_skb is handled by drops/drops_skb_tp (tracepoint/skb/kfree_skb), which lacks the reason on kernels before 5.17", line, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void In_a_set_with_states_the_states_program_keeps_the_books_and_drops_sends_only_drops()
    {
        using ProbeSetSource s = ProbeSetSource.Start(ProbeFamily.States, [ProbeFamily.Drops], new StatesFilter(), new TraceOptions { RingBytes = 1 << 20, MaxSockets = 1024 }, () => KernelEnums.BuiltIn);

        Assert.Contains("states_btf", s.Attached);
        Assert.DoesNotContain("drops_state", s.Attached);
        Assert.DoesNotContain("drops_state_tp", s.Attached);
        Assert.Contains("drops_skb", s.Attached);
        Assert.Empty(s.Degraded);
    }
}

using TcpScope.Bpf;

namespace TcpScope.Probes;

/// <summary>
/// One BPF object (bpf/NAME.bpf.c) and its programs: what a verb asks a <see cref="ProbeSet"/>
/// for. Families loaded together share the events ring, the loss counters and the sockets and
/// listeners maps (bpf/maps.bpf.h).
/// </summary>
public sealed record ProbeFamily
{
    /// <summary>sock:inet_sock_set_state, where the shared per-socket bookkeeping is kept: one program per set handles it.</summary>
    public const string StateHook = "inet_sock_set_state";

    private ProbeFamily(string name, string objectName, int rank, IReadOnlyList<ProbeProgram> programs)
    {
        Name = name;
        ObjectName = objectName;
        Rank = rank;
        Programs = programs;
    }

    /// <summary>Every state transition (bpf/states.bpf.c): tp_btf, or the classic tracepoint where tp_btf cannot attach.</summary>
    public static ProbeFamily States { get; } = new("states", EmbeddedObjects.States, 1,
    [
        new("states_btf", "state transitions", StateHook),
        new("states_tp", "state transitions", StateHook),
    ]);

    /// <summary>
    /// Connections through their life (bpf/conn.bpf.c). Its conn_state does all that states' programs
    /// do on the state hook and more (byte counts at close, failed attempts followed to their error,
    /// stacks), so in a set with both it handles that hook and states' programs are not loaded; if it
    /// cannot, states' take the hook over and conn's other programs still work on the shared maps.
    /// </summary>
    public static ProbeFamily Conn { get; } = new("conn", EmbeddedObjects.Connections, 0,
    [
        new("conn_state", "byte counts at close, failed connects followed to their error, stacks where attempts end", StateHook),
        new("conn_retransmit", "SYN and data retransmits"),
        new("conn_reset_in", "resets received"),
        new("conn_reset_out", "resets sent"),
        new("conn_error", "socket and ICMP errors"),
        new("conn_destroy", "the end of failed attempts and of sockets whose CLOSE record was lost"),
        new("conn_sys_exit", "accept() and connect() returns (the accepting process as owner, the error the application saw)"),
    ]);

    /// <summary>skb:kfree_skb, where only one program of a set may follow TCP drops.</summary>
    public const string DropHook = "kfree_skb";

    /// <summary>
    /// TCP segments the kernel threw away and the resets it sent (bpf/drops.bpf.c). Its state-hook
    /// programs only keep the owners' bookkeeping (they send nothing); in a set with states or
    /// conn, theirs does it. drops_skb_tp stands in for drops_skb where tp_btf cannot attach.
    /// </summary>
    public static ProbeFamily Drops { get; } = new("drops", EmbeddedObjects.Drops, 3,
    [
        new("drops_state", "the owners of the sockets that drops hit", StateHook),
        new("drops_state_tp", "the owners of the sockets that drops hit", StateHook),
        new("drops_skb", "TCP drops", DropHook),
        new("drops_skb_tp", "TCP drops", DropHook,
            Lacks: "the reason on kernels before 5.17 and the receiving socket (its state, queues, owner) before 6.11, and costs a copy of the trace record per drop"),
        new("drops_reset", "resets sent, with the segment they answer"),
    ]);

    /// <summary>Empty programs for the attach types of optional upgrades (bpf/probes.bpf.c): only doctor loads them.</summary>
    public static ProbeFamily Upgrades { get; } = new("probes", EmbeddedObjects.Probes, 2,
    [
        new("probe_tp_btf", "BTF tracepoints"),
        new("probe_tracepoint", "classic tracepoints"),
        new("probe_fentry", "fentry upgrades"),
        new("probe_fexit", "fexit upgrades"),
        new("probe_kprobe", "kprobe upgrades"),
    ]);

    public string Name { get; }

    /// <summary>The embedded object (bpf/NAME.bpf.o).</summary>
    public string ObjectName { get; }

    /// <summary>
    /// The programs, in the order a description names them; they are attached last to first, so
    /// the state hook's program (first), which fills the sockets map, starts after the programs
    /// that read it (a socket accepted in between would otherwise miss its owner's name).
    /// Programs of one family on the same <see cref="ProbeProgram.Hook"/> are alternatives, the first preferred.
    /// </summary>
    public IReadOnlyList<ProbeProgram> Programs { get; private init; }

    /// <summary>Which family of a set handles a hook both offer: the lower rank (the superset).</summary>
    internal int Rank { get; }

    public ProbeProgram Program(string name) =>
        Programs.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"family {Name} has no program {name}", nameof(name));

    /// <summary>This family without some of its programs (e.g. only the classic tracepoint of states).</summary>
    public ProbeFamily Without(params string[] programs)
    {
        foreach (string p in programs)
        {
            Program(p);
        }

        return this with { Programs = [.. Programs.Where(p => !programs.Contains(p.Name))] };
    }

    /// <summary>This family with one BTF-typed program attached elsewhere than its section says.</summary>
    public ProbeFamily WithAttachTarget(string program, string target)
    {
        ProbeProgram old = Program(program);
        return this with { Programs = [.. Programs.Select(p => p == old ? p with { AttachTarget = target } : p)] };
    }
}

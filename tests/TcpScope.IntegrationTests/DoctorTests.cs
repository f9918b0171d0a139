using TcpScope.Cli.Verbs;
using TcpScope.Host;

namespace TcpScope.IntegrationTests;

public class DoctorTests
{
    [PrivilegedFact]
    public void Reports_the_states_probes_working_here_and_nothing_broken()
    {
        Tracefs.EnsureMounted();

        DoctorReport r = DoctorVerb.Collect();

        Assert.True(r.Btf);
        Assert.True(r.CoreWorks);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["states", "drops", "life", "connect", "record"], r.Verbs.Keys);
        Assert.All(r.Verbs, v => Assert.True(v.Value, v.Key));
        Assert.True(r.Probes.Single(p => p.Program == "states_btf").Works, "tp_btf/inet_sock_set_state");
        Assert.True(r.Probes.Single(p => p.Program == "states_tp").Works, "tracepoint/sock/inet_sock_set_state");
        Assert.All(r.Probes.Where(p => p.Object == Bpf.EmbeddedObjects.Connections), p => Assert.True(p.Works, $"{p.Program}: {p.Detail}"));
        Assert.Equal(Probes.ProbeFamily.Conn.Programs.Count, r.Probes.Count(p => p.Object == Bpf.EmbeddedObjects.Connections));
        // the drops family: every program here, the classic kfree_skb fallback included
        Assert.All(r.Probes.Where(p => p.Object == Bpf.EmbeddedObjects.Drops), p => Assert.True(p.Works, $"{p.Program}: {p.Detail}"));
        Assert.Equal(Probes.ProbeFamily.Drops.Programs.Count, r.Probes.Count(p => p.Object == Bpf.EmbeddedObjects.Drops));

        // the development kernel (6.18) has all of it, and root reads kallsyms' addresses
        Assert.NotNull(r.DropsShows);
        Assert.All(r.DropsShows, f => Assert.True(f.Value, f.Key));
        Assert.Equal(["reason_names", "reset_reasons", "receiving_socket", "locations_named"], r.DropsShows.Keys);
        // optional hooks may be unavailable (fentry refused, no kprobes here), but never "failed"
        Assert.All(r.Probes, p => Assert.NotEqual(ProbeStatus.Failed, p.Status));
        ProbeResult fentry = r.Probes.Single(p => p.Program == "probe_fentry");
        Assert.True(fentry.Works || fentry.Detail.StartsWith("fentry: refused by the kernel (", StringComparison.Ordinal), fentry.Detail);
    }
}

using System.Text.Json;
using TcpScope.Bpf;
using TcpScope.Decode;
using TcpScope.Host;
using TcpScope.Probes;
using TcpScope.Records.Json;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope doctor` as a plain method.</summary>
public static class DoctorVerb
{
    /// <summary>What doctor tests: every family a verb can ask for, and the attach types of optional upgrades.</summary>
    public static readonly IReadOnlyList<ProbeFamily> Families = [ProbeFamily.States, ProbeFamily.Conn, ProbeFamily.Drops, ProbeFamily.Upgrades];

    /// <summary>Each tracing verb with the family it cannot run without: what its probe set requires, judged on the same verdicts.</summary>
    public static readonly IReadOnlyList<(string Verb, ProbeFamily Core)> VerbCores =
        [("states", StatesVerb.Core), ("drops", DropsVerb.Core), ("life", ConnectionsVerb.Core), ("connect", ConnectionsVerb.Core), ("record", ConnectionsVerb.Core)];

    public static int Run(bool json, CliConsole console)
    {
        DoctorReport report = Collect();
        if (json)
        {
            WriteJson(report, console.Out);
        }
        else
        {
            WriteText(report, console.Out);
        }

        console.Out.Flush();
        return report.ExitCode;
    }

    /// <param name="families">What to test (<see cref="Families"/>); the first is the core, one of whose programs must work.</param>
    public static DoctorReport Collect(IReadOnlyList<ProbeFamily>? families = null)
    {
        families ??= Families;
        Capabilities caps = Capabilities.OfThisProcess();
        string? libbpf = LibbpfRuntime.TryVersionString();
        string? libbpfProblem = null;
        try
        {
            LibbpfRuntime.EnsureReady();
        }
        catch (LibbpfUnavailableException e)
        {
            libbpfProblem = e.Message;
        }

        IReadOnlyList<ProbeResult> probes = [];
        bool canTrace = caps.MissingForTracing().Count == 0;
        if (libbpfProblem is null && canTrace)
        {
            probes = ProbeTester.TestAll([.. families]);
        }

        return new DoctorReport(
            KernelInfo.Release(),
            KernelInfo.HasBtf(),
            libbpf,
            libbpfProblem,
            caps,
            KernelInfo.TracefsMount(),
            probes,
            [.. families[0].Programs.Select(p => p.Name)],
            VerbCores.Where(v => families.Any(f => f.Name == v.Core.Name)).ToDictionary(v => v.Verb, v => CoreRuns(v.Core, probes)))
        {
            DropsShows = families.Any(f => f.Name == ProbeFamily.Drops.Name) && KernelInfo.HasBtf() ? DropsFacts() : null,
        };
    }

    /// <summary>
    /// What the drops family can tell here beyond loading: the reason names (enum skb_drop_reason,
    /// 5.17+), reset reasons (enum sk_rst_reason, 6.10+), the receiving socket (kfree_skb's rx_sk,
    /// 6.11+, by the kernel's version: backports are not seen) and LOCATION by name (kallsyms).
    /// </summary>
    private static Dictionary<string, bool> DropsFacts()
    {
        KernelEnums enums = KernelEnums.FromKernel();
        string[] release = KernelInfo.Release().Split('.', '-');
        bool rxSk = release.Length >= 2 && int.TryParse(release[0], out int major) && int.TryParse(release[1], out int minor)
            && (major > 6 || (major == 6 && minor >= 11));
        return new Dictionary<string, bool>
        {
            ["reason_names"] = enums.DropReasons.Count > 0,
            ["reset_reasons"] = enums.ResetReason(0) is not null, // NOT_SPECIFIED, the first value, whenever the enum exists
            ["receiving_socket"] = rxSk,
            ["locations_named"] = Host.Symbols.KernelLocations.OfThisHost().Names,
        };
    }

    /// <summary>
    /// Whether a probe set with this family as its core starts here: as <c>ProbeSet</c> requires,
    /// some program works on each hook of the family that only one program may handle (the state hook).
    /// </summary>
    private static bool CoreRuns(ProbeFamily core, IReadOnlyList<ProbeResult> probes) =>
        probes.Count > 0 && core.Programs.Where(p => p.Hook is not null).GroupBy(p => p.Hook)
            .All(hook => hook.Any(p => probes.Any(r => r.Object == core.Name && r.Program == p.Name && r.Works)));

    private static void WriteText(DoctorReport r, TextWriter w)
    {
        w.WriteLine("host");
        w.WriteLine($"  kernel        {r.Kernel}");
        w.WriteLine($"  BTF           {(r.Btf ? $"yes ({KernelInfo.VmlinuxBtf})" : "NO: CO-RE programs need CONFIG_DEBUG_INFO_BTF=y")}");
        w.WriteLine($"  libbpf        {r.LibbpfVersion ?? "not found"}{(r.LibbpfProblem is null ? "" : $" ({r.LibbpfProblem})")}");
        w.WriteLine($"  capabilities  {string.Join(", ", DoctorReport.Listed.Select(c => $"{c} {(r.Capabilities.Has(c) ? "yes" : "no")}"))}");
        w.WriteLine($"  tracefs       {(r.Tracefs is null ? "not mounted (classic tracepoints need it: mount -t tracefs nodev /sys/kernel/tracing)" : Tracefs.IsReadable() ? r.Tracefs : $"{r.Tracefs} (not readable by this user: classic tracepoints and kprobes are out of reach; tp_btf programs are not affected)")}");
        w.WriteLine("probes");
        if (r.Probes.Count == 0)
        {
            w.WriteLine(r.LibbpfProblem is null
                ? $"  not tested: missing {string.Join(" and ", r.Capabilities.MissingForTracing())}. {Privileges.HowToGrant}"
                : "  not tested: libbpf is not usable");
        }

        foreach (ProbeResult p in r.Probes)
        {
            string status = p.Status switch
            {
                ProbeStatus.Works => "ok  ",
                ProbeStatus.NotSupported => "n/a ",
                _ => "FAIL",
            };
            w.WriteLine($"  {status} {p.Object + "/" + p.Program,-24} {p.Section,-38} {p.Detail}");
        }

        w.WriteLine(r.CoreWorks
            ? $"core: working (states via {r.Probes.First(p => p.Works && r.Core.Contains(p.Program)).Section})"
            : r.Probes.Count == 0
                ? "core: not tested (see above)"
                : "core: NOT working: no states probe can attach here");
        if (r.Probes.Count > 0 && r.Verbs.Count > 0)
        {
            w.WriteLine("verbs: " + string.Join(", ", r.Verbs.Select(v => $"{v.Key} {(v.Value ? "runs" : "CANNOT run")}")));
        }

        if (r.DropsShows is { } d)
        {
            w.WriteLine("drops shows: " + string.Join("; ", [
                d["reason_names"] ? "drop reasons by name" : "no drop reasons (enum skb_drop_reason: 5.17+)",
                d["reset_reasons"] ? "reset reasons" : "no reset reasons (enum sk_rst_reason: 6.10+)",
                d["receiving_socket"] ? "the receiving socket (state, queues, owner)" : "no receiving socket for most drops (kfree_skb's rx_sk: 6.11+)",
                d["locations_named"] ? "LOCATION by function name" : "LOCATION as addresses (/proc/kallsyms hides them from this user: root with kernel.kptr_restrict 0 or 1)",
            ]));
        }
    }

    private static void WriteJson(DoctorReport r, TextWriter w) =>
        w.WriteLine(JsonSerializer.Serialize(r.ToRecord(), RecordJsonContext.Default.DoctorRecord));
}

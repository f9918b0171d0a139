using TcpScope.Bpf;
using TcpScope.Interop;

namespace TcpScope.Host;

/// <summary>Loads and attaches each shipped program on its own, to say what works on this host and why not.</summary>
public static class ProbeTester
{
    public static IReadOnlyList<ProbeResult> TestAll(params string[] objects)
    {
        var results = new List<ProbeResult>();
        foreach (string name in objects)
        {
            IReadOnlyList<BpfProgramInfo> programs;
            using (BpfObject spec = BpfObject.OpenEmbedded(name))
            {
                programs = spec.Programs;
            }

            results.AddRange(programs.Select(p => Test(name, p)));
        }

        return results;
    }

    public static ProbeResult Test(string objectName, BpfProgramInfo program)
    {
        try
        {
            using BpfObject obj = BpfObject.OpenEmbedded(objectName);
            obj.SelectPrograms(program.Name);
            obj.Load();
            using BpfLink link = obj.Attach(program.Name);
            return new ProbeResult(objectName, program.Name, program.Section, ProbeStatus.Works, "loads and attaches");
        }
        catch (LibbpfException e)
        {
            (ProbeStatus status, string why) = Explain(program.Section, e);
            return new ProbeResult(objectName, program.Name, program.Section, status, why);
        }
    }

    /// <summary>Tells "this kernel does not offer it" apart from real failures, naming what is needed.</summary>
    public static (ProbeStatus Status, string Detail) Explain(string section, LibbpfException e)
    {
        string errno = Errors.Name(e.Errno);
        string kind = section.Split('/')[0];
        return kind switch
        {
            "fentry" or "fexit" when e.Errno is LibC.EPERM or LibC.ENOTSUPP or LibC.EOPNOTSUPP or LibC.EINVAL =>
                (ProbeStatus.NotSupported, $"{kind}: refused by the kernel ({errno}); needs BPF trampolines (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS), which this kernel or its hypervisor does not allow"),
            "kprobe" or "kretprobe" when e.Errno is LibC.ENOENT or LibC.ENOTSUPP or LibC.EOPNOTSUPP or LibC.EINVAL =>
                (ProbeStatus.NotSupported, $"{kind}: not available ({errno}); needs CONFIG_KPROBES and a probeable kernel function"),
            "tracepoint" when e.Errno == LibC.ENOENT =>
                (ProbeStatus.NotSupported, $"tracepoint: not found ({errno}); needs tracefs mounted (mount -t tracefs nodev /sys/kernel/tracing) and the tracepoint in this kernel"),
            "tp_btf" when e.Errno is LibC.ENOENT or LibC.EINVAL or LibC.ENOTSUPP =>
                (ProbeStatus.NotSupported, $"tp_btf: not available ({errno}); needs kernel BTF (CONFIG_DEBUG_INFO_BTF) and BTF-typed tracepoints (5.5+)"),
            "tracepoint" or "kprobe" or "kretprobe" when e.IsPermissionDenied && !Tracefs.IsReadable() =>
                (ProbeStatus.NotSupported, $"{kind}: not available to this user ({errno}): it is set up through tracefs ({KernelInfo.TracefsMount() ?? Tracefs.DefaultMount}), "
                    + "which only root can read here (needs CAP_DAC_READ_SEARCH, or root); TcpScope's tp_btf programs need only CAP_BPF and CAP_PERFMON"),
            _ when e.IsPermissionDenied =>
                (ProbeStatus.Failed, $"permission denied ({errno}); needs CAP_BPF and CAP_PERFMON, or root"),
            _ => (ProbeStatus.Failed, e.Message),
        };
    }
}

using TcpScope.Host;
using TcpScope.Interop;

namespace TcpScope.Probes;

/// <summary>The one wording of why a program did not load or attach: doctor prints it, verbs degrade with it.</summary>
public static class ProbeVerdicts
{
    public const string WorksDetail = "loads and attaches";

    public static ProbeResult Works(ProbeFamily family, string program, string section) =>
        new(family.ObjectName, program, section, ProbeStatus.Works, WorksDetail);

    public static ProbeResult Of(ProbeFamily family, string program, string section, LibbpfException e)
    {
        (ProbeStatus status, string why) = Explain(section, e);
        return new ProbeResult(family.ObjectName, program, section, status, why);
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
            // libbpf looks the tracepoint up in the kernel's BTF at load and finds no such type
            "tp_btf" or "fentry" or "fexit" when e.Errno == LibC.ESRCH =>
                (ProbeStatus.NotSupported, $"{kind}: its attach point is not in this kernel ({errno}); needs a kernel that has it"),
            "tracepoint" or "kprobe" or "kretprobe" when e.IsPermissionDenied && !Tracefs.IsReadable() =>
                (ProbeStatus.NotSupported, $"{kind}: not available to this user ({errno}): it is set up through tracefs ({KernelInfo.TracefsMount() ?? Tracefs.DefaultMount}), "
                    + "which only root can read here (needs CAP_DAC_READ_SEARCH, or root); TcpScope's tp_btf programs need only CAP_BPF and CAP_PERFMON"),
            _ when e.IsPermissionDenied =>
                (ProbeStatus.Failed, $"permission denied ({errno}); needs CAP_BPF and CAP_PERFMON, or root"),
            _ => (ProbeStatus.Failed, e.Message),
        };
    }
}

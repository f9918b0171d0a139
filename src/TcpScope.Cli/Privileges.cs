using TcpScope.Host;

namespace TcpScope.Cli;

/// <summary>Checks, before touching the kernel, that this process may trace, and says how to grant it if not.</summary>
public static class Privileges
{
    public const string HowToGrant =
        "Run as root (sudo tcpscope ...), or give the binary the capabilities once: "
        + "sudo setcap cap_bpf,cap_perfmon,cap_net_admin,cap_sys_admin+ep \"$(command -v tcpscope)\"";

    public static void RequireTracing()
    {
        IReadOnlyList<Capability> missing = Capabilities.OfThisProcess().MissingForTracing();
        if (missing.Count > 0)
        {
            throw new CliException(
                $"missing capability {string.Join(" and ", missing)} (tracing needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN). {HowToGrant}",
                ExitCodes.NoPermission);
        }
    }

    public static void RequireNamespaceAdmin()
    {
        if (!Capabilities.OfThisProcess().Has(Capability.CAP_SYS_ADMIN))
        {
            throw new CliException(
                $"missing capability CAP_SYS_ADMIN (creating network namespaces needs it). {HowToGrant}",
                ExitCodes.NoPermission);
        }
    }

    public static void RequireKernelBtf()
    {
        if (!KernelInfo.HasBtf())
        {
            throw new CliException(
                $"this kernel exposes no BTF ({KernelInfo.VmlinuxBtf} is missing): TcpScope's CO-RE programs need a kernel "
                + "built with CONFIG_DEBUG_INFO_BTF=y (the default on Debian 11+, Ubuntu 20.10+, RHEL 8.2+)",
                ExitCodes.Unavailable);
        }
    }
}

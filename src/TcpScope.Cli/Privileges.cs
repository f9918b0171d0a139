using TcpScope.Host;

namespace TcpScope.Cli;

/// <summary>Checks, before touching the kernel, that this process may trace, and says how to grant it if not.</summary>
public static class Privileges
{
    /// <summary>Names this very binary: `command -v tcpscope` may find another copy, or none.</summary>
    public static string HowToGrant =>
        "Run as root (sudo tcpscope ...), or give the binary the capabilities once: "
        + $"sudo setcap cap_bpf,cap_perfmon+ep {Environment.ProcessPath ?? "$(command -v tcpscope)"}";

    public static void RequireTracing()
    {
        IReadOnlyList<Capability> missing = Capabilities.OfThisProcess().MissingForTracing();
        if (missing.Count > 0)
        {
            throw new CliException(
                $"{MissingCapabilities(missing)} (tracing needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN). {HowToGrant}",
                ExitCodes.NoPermission);
        }
    }

    /// <summary>How to give what `demo` and `lab` need: the programs they run (ip, iptables, tc) need the capabilities too.</summary>
    public const string HowToGrantNamespaces =
        "Run it as root (sudo tcpscope ...): capabilities given to the binary with setcap are not passed on to those programs.";

    /// <summary>
    /// `demo` and `lab` create network namespaces and veth pairs with iproute2 and set firewall
    /// rules with iptables: CAP_SYS_ADMIN and CAP_NET_ADMIN, in this process and in those programs.
    /// </summary>
    public static void RequireNamespaceAdmin()
    {
        Capabilities caps = Capabilities.OfThisProcess();
        Capability[] needed = [Capability.CAP_SYS_ADMIN, Capability.CAP_NET_ADMIN];
        Capability[] missing = [.. needed.Where(c => !caps.Has(c))];
        if (missing.Length > 0)
        {
            throw new CliException(
                $"{MissingCapabilities(missing)} (creating network namespaces needs CAP_SYS_ADMIN and CAP_NET_ADMIN). {HowToGrantNamespaces}",
                ExitCodes.NoPermission);
        }

        Capability[] notPassed = [.. needed.Where(c => !caps.PassesOn(c))];
        if (notPassed.Length > 0)
        {
            throw new CliException(
                $"the capabilities {string.Join(" and ", notPassed)} would not reach ip and iptables, which create the namespaces "
                + $"(this process is not root and its ambient set lacks them). {HowToGrantNamespaces}",
                ExitCodes.NoPermission);
        }
    }

    /// <summary>"missing capability CAP_BPF", "missing capabilities CAP_BPF and CAP_PERFMON".</summary>
    public static string MissingCapabilities(IReadOnlyList<Capability> missing) =>
        $"missing {(missing.Count == 1 ? "capability" : "capabilities")} {string.Join(" and ", missing)}";

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

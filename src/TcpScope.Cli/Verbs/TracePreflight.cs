using TcpScope.Decode;

namespace TcpScope.Cli.Verbs;

/// <summary>What every tracing verb does before it loads a program.</summary>
internal static class TracePreflight
{
    /// <summary>
    /// Fails with the missing capability or BTF, then starts reading the kernel's enums in the
    /// background: that overlaps the load, as both parse the kernel's BTF.
    /// </summary>
    public static Task<KernelEnums> Check()
    {
        Privileges.RequireTracing();
        Privileges.RequireKernelBtf();
        return Task.Run(KernelEnums.FromKernel);
    }

    /// <summary>Says when a filter names what does not exist, so an empty trace is not a surprise; the trace still runs.</summary>
    public static void WarnAboutFilter(Sources.StatesFilter filter, TextWriter diagnostics)
    {
        if (filter.Pid != 0 && !Directory.Exists($"/proc/{filter.Pid}"))
        {
            diagnostics.WriteLine($"tcpscope: warning: no process {filter.Pid} (yet?); tracing its sockets if it appears");
        }

        if (filter.NetNs != 0 && !Host.NetworkNamespaces.InSight(filter.NetNs))
        {
            diagnostics.WriteLine($"tcpscope: warning: no process and no name in {Host.NetworkNamespaces.NamedDirectory} is in network namespace {filter.NetNs} (yet?); tracing it if it appears");
        }
    }
}

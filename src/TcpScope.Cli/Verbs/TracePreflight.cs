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
}

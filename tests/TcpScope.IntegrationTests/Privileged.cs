using TcpScope.Bpf;
using TcpScope.Host;

namespace TcpScope.IntegrationTests;

/// <summary>
/// Whether this machine can run tests against the real kernel. With TCPSCOPE_REQUIRE_BPF=1
/// (CI) nothing is skipped: a test that cannot do its work fails and says why.
/// </summary>
internal static class Privileged
{
    public static bool Required => Environment.GetEnvironmentVariable("TCPSCOPE_REQUIRE_BPF") == "1";

    /// <summary>Why privileged tests cannot run here, or null when they can (or must).</summary>
    public static string? SkipReason { get; } = Required ? null : FindReason();

    private static string? FindReason()
    {
        IReadOnlyList<Capability> missing = Capabilities.OfThisProcess().MissingForTracing();
        if (missing.Count > 0 || !Capabilities.OfThisProcess().Has(Capability.CAP_SYS_ADMIN))
        {
            return $"needs root (CAP_SYS_ADMIN for network namespaces, CAP_BPF and CAP_PERFMON for tracing); missing: {string.Join(", ", missing.DefaultIfEmpty(Capability.CAP_SYS_ADMIN))}";
        }

        if (!KernelInfo.HasBtf())
        {
            return $"the kernel exposes no BTF ({KernelInfo.VmlinuxBtf}); CO-RE programs need CONFIG_DEBUG_INFO_BTF=y";
        }

        try
        {
            LibbpfRuntime.EnsureReady();
        }
        catch (LibbpfUnavailableException e)
        {
            return e.Message;
        }

        return null;
    }
}

/// <summary>A test that needs root and the real kernel; skipped with the reason elsewhere, never on CI.</summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        Skip = Privileged.SkipReason;
    }
}

/// <inheritdoc cref="PrivilegedFactAttribute"/>
public sealed class PrivilegedTheoryAttribute : TheoryAttribute
{
    public PrivilegedTheoryAttribute()
    {
        Skip = Privileged.SkipReason;
    }
}

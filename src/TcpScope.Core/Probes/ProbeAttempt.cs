using TcpScope.Host;
using TcpScope.Interop;

namespace TcpScope.Probes;

/// <summary>One program's load and attach: its verdict, and what failed (null when it works).</summary>
internal sealed record ProbeAttempt(ProbeFamily Family, ProbeProgram Program, ProbeResult Verdict, LibbpfException? Error)
{
    public string Id => $"{Family.Name}/{Program.Name}";
}

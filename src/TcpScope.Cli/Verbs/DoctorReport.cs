using TcpScope.Host;
using TcpScope.Records;

namespace TcpScope.Cli.Verbs;

/// <summary>What `tcpscope doctor` found.</summary>
public sealed record DoctorReport(
    string Kernel,
    bool Btf,
    string? LibbpfVersion,
    string? LibbpfProblem,
    Capabilities Capabilities,
    string? Tracefs,
    IReadOnlyList<ProbeResult> Probes,
    IReadOnlyList<string> Core,
    IReadOnlyDictionary<string, bool> Verbs)
{
    /// <summary>What `drops` can show on this kernel, by name (null when the drops family was not tested).</summary>
    public IReadOnlyDictionary<string, bool>? DropsShows { get; init; }

    public static readonly Capability[] Listed = [Capability.CAP_BPF, Capability.CAP_PERFMON, Capability.CAP_NET_ADMIN, Capability.CAP_SYS_ADMIN];

    public bool CoreWorks => Probes.Any(p => p.Works && Core.Contains(p.Program));

    public int ExitCode =>
        CoreWorks ? ExitCodes.Ok
        : Capabilities.MissingForTracing().Count > 0 ? ExitCodes.NoPermission
        : ExitCodes.Unavailable;

    /// <summary>The report as the JSON of `doctor --json`.</summary>
    public DoctorRecord ToRecord() => new(
        Kernel,
        Btf,
        LibbpfVersion,
        LibbpfProblem,
        Listed.ToDictionary(c => c.ToString(), Capabilities.Has),
        Tracefs,
        [.. Probes.Select(ProbeRecord.From)],
        CoreWorks,
        Verbs)
    {
        DropsShows = DropsShows,
    };
}

using TcpScope.Bpf;
using TcpScope.Interop;

namespace TcpScope.Cli;

/// <summary>Maps failures from the layers below to what a user can act on, with an exit code.</summary>
public static class ErrorTranslation
{
    public static CliException ToCliException(Exception e) => e switch
    {
        CliException c => c,
        LibbpfUnavailableException u => new CliException(u.Message, ExitCodes.Unavailable),
        BpfLoadException { VerifierRejected: true } l => new CliException(
            l.Message + Environment.NewLine + "This is a TcpScope bug on this kernel; please report it with the output of --verbose.",
            ExitCodes.VerifierRejected,
            l.Log),
        LibbpfException { IsPermissionDenied: true } p => new CliException(
            $"{p.Message}. {Privileges.HowToGrant}",
            ExitCodes.NoPermission,
            (p as BpfLoadException)?.Log),
        BpfLoadException l => new CliException(l.Message, ExitCodes.Unavailable, l.Log),
        LibbpfException l => new CliException(l.Message, ExitCodes.Unavailable),
        Recording.RecordingException { Problem: Recording.RecordingProblem.Unreadable } r => new CliException(r.Message, ExitCodes.IoError),
        Recording.RecordingException r => new CliException(r.Message, ExitCodes.DataError),
        Recording.RecordingWriteException w => new CliException(w.Message, ExitCodes.IoError),
        Lab.MissingToolException m => new CliException(m.Message, ExitCodes.Unavailable),
        Lab.ToolPermissionException t => new CliException(
            $"{t.Message}. Creating and changing network namespaces needs the capabilities CAP_SYS_ADMIN and CAP_NET_ADMIN in "
            + $"the programs the lab runs (ip, iptables, tc), and file capabilities are not passed on to them. {Privileges.HowToGrantNamespaces}",
            ExitCodes.NoPermission),
        _ => new CliException($"unexpected error: {e.Message}", ExitCodes.Failure),
    };
}

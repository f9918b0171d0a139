using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>
/// Loading an object failed: the kernel refused a program (verifier, permissions) or a map.
/// <see cref="Log"/> keeps everything libbpf said, including the verifier's full log;
/// the message shows only its last lines.
/// </summary>
public sealed class BpfLoadException : LibbpfException
{
    private const int SummaryLines = 8;

    private BpfLoadException(string operation, int errno, string message, string log, bool verifierRejected)
        : base(operation, errno, message)
    {
        Log = log;
        VerifierRejected = verifierRejected;
    }

    /// <summary>libbpf's messages during the load, with the verifier log when there is one.</summary>
    public string Log { get; }

    /// <summary>The verifier read the program and refused it (as opposed to a permission or feature error).</summary>
    public bool VerifierRejected { get; }

    public override bool IsPermissionDenied => !VerifierRejected && base.IsPermissionDenied;

    public static BpfLoadException From(string objectName, int errno, IReadOnlyList<string> messages)
    {
        string log = string.Concat(messages);
        string[] verifier = VerifierLines(log);
        // the verifier refuses with EACCES (or EINVAL) and leaves its log; EPERM is a missing privilege
        bool rejected = verifier.Length > 0 && errno != LibC.EPERM;
        string message = $"loading BPF object {objectName}: {Errors.Describe(errno)}";
        if (rejected)
        {
            message += "; the verifier's last lines:" + Environment.NewLine + "  "
                + string.Join(Environment.NewLine + "  ", verifier.TakeLast(SummaryLines));
        }

        return new BpfLoadException($"loading {objectName}", errno, message, log, rejected);
    }

    private static string[] VerifierLines(string log)
    {
        const string begin = "-- BEGIN PROG LOAD LOG --";
        const string end = "-- END PROG LOAD LOG --";
        int b = log.IndexOf(begin, StringComparison.Ordinal);
        if (b < 0)
        {
            return [];
        }

        int e = log.IndexOf(end, b, StringComparison.Ordinal);
        string body = e < 0 ? log[(b + begin.Length)..] : log[(b + begin.Length)..e];
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}

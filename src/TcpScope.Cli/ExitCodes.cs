namespace TcpScope.Cli;

/// <summary>Exit codes of tcpscope (documented in the README); sysexits.h values where one fits.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line: an unknown option, a value out of range.</summary>
    public const int Usage = 2;

    /// <summary>A recording given with --from is not one, is of a newer format, truncated or corrupted (the message names the byte).</summary>
    public const int DataError = 65;

    /// <summary>The file given with --from cannot be opened (missing, not readable).</summary>
    public const int NoInput = 66;

    /// <summary>The file given with -o or --record cannot be created.</summary>
    public const int CannotCreate = 73;

    /// <summary>The recording given with -o or --record cannot be written (a full disk, a file that takes no writes): the run stops when it happens.</summary>
    public const int IoError = 74;

    /// <summary>This host cannot do it: no kernel BTF, no or too old libbpf, a core probe that cannot attach, a program a lab runs (ip, iptables, tc) not installed.</summary>
    public const int Unavailable = 69;

    /// <summary>The kernel's verifier rejected one of TcpScope's programs (a bug worth reporting).</summary>
    public const int VerifierRejected = 70;

    /// <summary>Missing privileges (capabilities).</summary>
    public const int NoPermission = 77;

    /// <summary>
    /// A lab or the demo was stopped by a signal before it finished (after removing what it
    /// created): 128 + the signal's number, as a shell reports a process the signal killed
    /// (129 SIGHUP, 130 SIGINT, 131 SIGQUIT, 143 SIGTERM). Tracing verbs are meant to be
    /// stopped so, and exit 0.
    /// </summary>
    public static int Interrupted(System.Runtime.InteropServices.PosixSignal signal) => 128 + signal switch
    {
        System.Runtime.InteropServices.PosixSignal.SIGHUP => 1,
        System.Runtime.InteropServices.PosixSignal.SIGINT => 2,
        System.Runtime.InteropServices.PosixSignal.SIGQUIT => 3,
        System.Runtime.InteropServices.PosixSignal.SIGTERM => 15,
        _ => 0,
    };
}

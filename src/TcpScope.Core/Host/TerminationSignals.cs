using TcpScope.Interop;

namespace TcpScope.Host;

/// <summary>Makes Ctrl-C, SIGTERM, SIGHUP and SIGQUIT reach the process however it was started.</summary>
public static class TerminationSignals
{
    /// <summary>
    /// A shell starts background jobs (`tcpscope states &`, scripts) with SIGINT and SIGQUIT
    /// ignored, and .NET leaves an ignored signal ignored, so `kill -INT` would not stop the trace and the
    /// final drain and summary would be lost to a later SIGKILL. Restoring the default before
    /// the runtime sets up its handlers lets the verbs catch it like any other Ctrl-C.
    /// Must run before anything touches Console or signal registration.
    /// </summary>
    public static void Unignore()
    {
        LibC.signal(LibC.SIGINT, LibC.SIG_DFL);
        LibC.signal(LibC.SIGQUIT, LibC.SIG_DFL);
        LibC.signal(LibC.SIGTERM, LibC.SIG_DFL);
    }
}

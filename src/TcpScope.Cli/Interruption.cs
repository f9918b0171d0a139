using System.Runtime.InteropServices;

namespace TcpScope.Cli;

/// <summary>
/// Ctrl-C (SIGINT), SIGTERM, SIGHUP (the terminal closed) and SIGQUIT as a cancellation: the
/// verb stops tracing, detaches, drains and prints its last line, and a lab removes its
/// namespaces, instead of being killed mid-write.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource cts;
    private readonly PosixSignalRegistration[] registrations;

    public Interruption(CancellationToken external, TimeSpan? after = null)
    {
        cts = CancellationTokenSource.CreateLinkedTokenSource(external);
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop),
        ];
        if (after is { } t)
        {
            cts.CancelAfter(t);
        }
    }

    public CancellationToken Token => cts.Token;

    /// <summary>The signal that stopped the work, if one did.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>Stops as Ctrl-C would (the work being watched is done).</summary>
    public void Cancel() => cts.Cancel();

    /// <summary>"SIGHUP"; the names the user knows from kill(1).</summary>
    public static string Name(PosixSignal s) => s switch
    {
        PosixSignal.SIGHUP => "SIGHUP",
        PosixSignal.SIGINT => "SIGINT",
        PosixSignal.SIGQUIT => "SIGQUIT",
        PosixSignal.SIGTERM => "SIGTERM",
        _ => s.ToString(),
    };

    public void Dispose()
    {
        foreach (PosixSignalRegistration r in registrations)
        {
            r.Dispose();
        }

        cts.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true; // we stop ourselves, cleanly
        Signal ??= context.Signal;
        cts.Cancel();
    }
}

using System.Runtime.InteropServices;

namespace TcpScope.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation: the verb stops tracing, detaches, drains
/// and prints its last line instead of being killed mid-write.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource cts;
    private readonly PosixSignalRegistration sigint;
    private readonly PosixSignalRegistration sigterm;

    public Interruption(CancellationToken external, TimeSpan? after = null)
    {
        cts = CancellationTokenSource.CreateLinkedTokenSource(external);
        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        if (after is { } t)
        {
            cts.CancelAfter(t);
        }
    }

    public CancellationToken Token => cts.Token;

    /// <summary>Stops as Ctrl-C would (the work being watched is done).</summary>
    public void Cancel() => cts.Cancel();

    public void Dispose()
    {
        sigint.Dispose();
        sigterm.Dispose();
        cts.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true; // we stop ourselves, cleanly
        cts.Cancel();
    }
}

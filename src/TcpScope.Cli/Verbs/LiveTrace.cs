using TcpScope.Decode;
using TcpScope.Probes;
using TcpScope.Recording;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>
/// What every tracing verb does around its session: check the host, make the recording file
/// (before anything loads, so a bad path fails first), attach the probe set, say what it runs
/// without, write the recording's header; at the end, its trailer.
/// </summary>
internal sealed class LiveTrace : IDisposable
{
    private readonly Interruption stop;

    private LiveTrace(Interruption stop, RecordingWriter? recording, ProbeSetSource source)
    {
        this.stop = stop;
        Recording = recording;
        Source = source;
    }

    public ProbeSetSource Source { get; }

    public RecordingWriter? Recording { get; }

    /// <summary>Cancelled by Ctrl-C, SIGTERM, SIGHUP or SIGQUIT.</summary>
    public CancellationToken Token => stop.Token;

    /// <param name="families">What the recording holds, for its header (<see cref="RecordingHeader"/>).</param>
    public static LiveTrace Start(
        ProbeFamily core, StatesFilter filter, TraceOptions trace, string? recordTo, string families, bool stacks, CliConsole console, CancellationToken cancellation)
    {
        Task<KernelEnums> enums = TracePreflight.Check();
        TracePreflight.WarnAboutFilter(filter, console.Error);
        RecordingWriter? recording = RecordingFiles.Create(recordTo);
        Interruption? stop = null;
        ProbeSetSource? source = null;
        try
        {
            stop = new Interruption(cancellation);
            source = ProbeSetSource.Start(core, [], filter, trace with { Tap = recording }, () => enums.GetAwaiter().GetResult(), stacks);
            foreach (string degraded in source.Degraded)
            {
                console.Error.WriteLine($"tcpscope: {degraded}");
            }

            RecordingFiles.Begin(recording, source, families, trace.MaxSockets);
            return new LiveTrace(stop, recording, source);
        }
        catch
        {
            source?.Dispose();
            stop?.Dispose();
            recording?.Dispose();
            throw;
        }
    }

    /// <summary>The session's OutputClosed: the console's reader is gone, or the recording stopped.</summary>
    public Func<bool> OutputClosed(Func<bool> console) => RecordingFiles.OutputClosed(console, Recording);

    /// <summary>Writes the recording's trailer and says what was written; a failed write is the error (exit 74).</summary>
    public void Finish(SourceStats stats, TextWriter diagnostics) => RecordingFiles.Finish(Recording, stats, diagnostics);

    public void Dispose()
    {
        Source.Dispose();
        stop.Dispose();
        Recording?.Dispose();
    }
}

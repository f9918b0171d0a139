using TcpScope.Host;
using TcpScope.Recording;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>What the tracing verbs do with --record and --from: open, begin, finish, with the CLI's errors.</summary>
internal static class RecordingFiles
{
    /// <summary>Opens a recording to replay; a file that is none fails with <see cref="RecordingException"/> (exit 65).</summary>
    public static ReplaySource OpenReplay(string path, TextWriter diagnostics)
    {
        ReplaySource source;
        if (Directory.Exists(path))
        {
            throw new CliException($"cannot read the recording {path}: it is a directory", ExitCodes.NoInput);
        }

        try
        {
            source = ReplaySource.Open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the recording {path}: {e.Message}", ExitCodes.NoInput);
        }

        RecordingHeader h = source.Header;
        diagnostics.WriteLine($"tcpscope: replaying {path}: {h.Families} recorded on {h.Hostname} (kernel {h.KernelRelease}) by {h.Tool}");
        return source;
    }

    /// <summary>Creates the file for --record (or record -o) before anything is loaded, so a bad path fails first.</summary>
    public static RecordingWriter? Create(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return RecordingWriter.Create(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot create the recording {path}: {e.Message}", ExitCodes.CannotCreate);
        }
    }

    /// <summary>
    /// Writes the header once the source is attached: its description, clock offset and enum
    /// names. A file that takes no writes fails here, before the session (exit 74).
    /// </summary>
    public static void Begin(RecordingWriter? writer, IEventSource source, string families, uint maxSockets)
    {
        writer?.Begin(RecordingHeader.ForThisHost(source.Description, families, source.WallOffsetNs, MonotonicClock.NowNs(), maxSockets), source.Enums.Tables);
        ThrowIfFailed(writer);
    }

    /// <summary>
    /// The session's OutputClosed: the console's reader is gone, or the recording stopped (a
    /// failed write, or the reader of the pipe it goes to is gone): the run ends at the next idle.
    /// </summary>
    public static Func<bool> OutputClosed(Func<bool> console, RecordingWriter? writer) =>
        writer is null ? console : () => console() || writer.Stopped;

    /// <summary>Writes the trailer; says on stderr what was written; a write that failed is the error (exit 74).</summary>
    public static void Finish(RecordingWriter? writer, SourceStats stats, TextWriter diagnostics)
    {
        if (writer is null)
        {
            return;
        }

        RecordingTrailer t = writer.Complete(stats);
        ThrowIfFailed(writer);
        diagnostics.WriteLine(Written(writer, t));
    }

    /// <summary>A write error (not a gone reader) as the CLI's error.</summary>
    public static void ThrowIfFailed(RecordingWriter? writer)
    {
        if (writer?.Failure is { } failure)
        {
            throw failure;
        }
    }

    public static string Written(RecordingWriter writer, RecordingTrailer t) => writer.ReaderGone
        ? $"tcpscope: stopped writing {writer.Path}: its reader is gone; {writer.BytesWritten} bytes written; {t.Stats.Lost} lost"
        : $"tcpscope: wrote {writer.Path}: {t.Records} records in {t.Batches} batches, {writer.BytesWritten} bytes; {t.Stats.Lost} lost";
}

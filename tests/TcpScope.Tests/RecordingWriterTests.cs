using System.IO.Pipes;
using TcpScope.Cli;
using TcpScope.Decode;
using TcpScope.Recording;
using TcpScope.Sources;

namespace TcpScope.Tests;

/// <summary>What a recording holds while it is written, and how a write that fails ends it.</summary>
public sealed class RecordingWriterTests : IDisposable
{
    private const long S = 1_000_000_000;

    private readonly string dir = Directory.CreateTempSubdirectory("tcpscope-recw-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>The file as a SIGKILL would leave it: what reached it so far, without disposing the writer.</summary>
    private string Snapshot(string path, string name)
    {
        string copy = Path.Combine(dir, name);
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (FileStream c = File.Create(copy))
        {
            f.CopyTo(c);
        }

        return copy;
    }

    [Fact]
    public void A_run_that_never_began_leaves_an_earlier_recording_as_it_was_and_removes_a_file_it_made()
    {
        string earlier = Path.Combine(dir, "earlier.tsrec");
        File.WriteAllBytes(earlier, [1, 2, 3, 4]);
        RecordingWriter.Create(earlier).Dispose(); // e.g. the probes failed to load

        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(earlier));

        string fresh = Path.Combine(dir, "fresh.tsrec");
        RecordingWriter.Create(fresh).Dispose();
        Assert.False(File.Exists(fresh));
    }

    [Fact]
    public void A_run_that_began_replaces_what_the_file_held()
    {
        string path = Path.Combine(dir, "replaced.tsrec");
        File.WriteAllBytes(path, new byte[100_000]);
        RecordingTests.Write(path);

        using ReplaySource source = ReplaySource.Open(path);
        Assert.Equal(3, source.Run(new RecordingTests.Calls(), CancellationToken.None).Events);
    }

    [Fact]
    public void The_header_and_enums_are_in_the_file_as_soon_as_it_begins()
    {
        string path = Path.Combine(dir, "begun.tsrec");
        using RecordingWriter w = RecordingWriter.Create(path, RecordingTests.Header(), KernelEnums.BuiltIn.Tables);

        string killed = Snapshot(path, "begun-killed.tsrec");

        using RecordingReader reader = RecordingReader.Open(killed); // reads header and enums, else throws
        Assert.Equal(RecordingTests.Header(), reader.Header);
        Assert.Equal(2, RecordingTests.ChunkStarts(File.ReadAllBytes(killed)).Length); // header, enums
    }

    [Fact]
    public void A_killed_writer_leaves_every_batch_up_to_the_last_one_a_second_after_the_previous_write()
    {
        long t0 = RecordingTests.Header().StartNs;
        string path = Path.Combine(dir, "live.tsrec");
        using RecordingWriter w = RecordingWriter.Create(path, RecordingTests.Header(), KernelEnums.BuiltIn.Tables);
        w.OnRecord(RawRecords.State(t0 + 100, 2, 1));
        w.OnBatchEnd(t0 + (S / 2)); // half a second: kept in memory
        long before = new FileInfo(path).Length;
        w.OnRecord(RawRecords.State(t0 + (S / 2) + 100, 1, 4));
        w.OnBatchEnd(t0 + S); // a second since the header: written
        long afterFirst = new FileInfo(path).Length;
        w.OnRecord(RawRecords.State(t0 + S + 100, 4, 7));
        w.OnBatchEnd(t0 + (3 * S / 2)); // half a second since: kept
        long afterSecond = new FileInfo(path).Length;

        string killed = Snapshot(path, "killed.tsrec");
        var sink = new RecordingTests.Calls();
        using ReplaySource source = ReplaySource.Open(killed);
        RecordingException e = Assert.Throws<RecordingException>(() => source.Run(sink, CancellationToken.None));

        Assert.Equal(before, afterSecond - (afterFirst - before)); // only the one-second batch end wrote
        Assert.True(afterFirst > before, "the batch end a second after the header writes its chunk");
        Assert.Equal(RecordingProblem.Truncated, e.Problem);
        Assert.Equal(
            [$"state {t0 + 100} SYN_SENT>ESTABLISHED", $"idle {t0 + (S / 2)}", $"state {t0 + (S / 2) + 100} ESTABLISHED>FIN_WAIT1", $"idle {t0 + S}"],
            sink.Log);
        Assert.Contains("2 records in 2 batches", e.Message);
    }

    [Fact]
    public void A_full_disk_stops_the_writer_with_the_reason_and_nothing_thrown_into_the_drain()
    {
        using RecordingWriter w = RecordingWriter.Create("/dev/full", RecordingTests.Header(), KernelEnums.BuiltIn.Tables);
        w.OnRecord(RawRecords.State(2_000, 2, 1));
        w.OnBatchEnd(5 * S);
        w.Complete(new SourceStats(1, 0, 0, StartNs: 1_000, EndNs: 5 * S));

        Assert.True(w.Stopped);
        Assert.False(w.ReaderGone);
        Assert.Equal("cannot write the recording /dev/full: No space left on device", w.Failure?.Message);
    }

    [Fact]
    public void A_write_that_fails_mid_run_stops_the_writer_there()
    {
        // /dev/full takes the open but no write; found at the first flushed batch, not at the end
        using RecordingWriter w = RecordingWriter.Create("/dev/full");
        Assert.False(w.Stopped);
        w.Begin(RecordingTests.Header(), KernelEnums.BuiltIn.Tables);

        Assert.True(w.Stopped);
        Assert.NotNull(w.Failure);
    }

    [Fact]
    public void A_pipe_whose_reader_is_gone_stops_the_writer_without_an_error()
    {
        string path;
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        path = $"/proc/self/fd/{pipe.ClientSafePipeHandle.DangerousGetHandle()}";
        using RecordingWriter w = RecordingWriter.Create(path);
        pipe.DisposeLocalCopyOfClientHandle();
        pipe.Dispose(); // the reader goes, as `| head -c 100` does

        w.Begin(RecordingTests.Header(), KernelEnums.BuiltIn.Tables);
        w.OnRecord(RawRecords.State(2_000, 2, 1));
        w.OnBatchEnd(5 * S);
        w.Complete(new SourceStats(1, 0, 0, StartNs: 1_000, EndNs: 5 * S));

        Assert.True(w.Stopped);
        Assert.True(w.ReaderGone);
        Assert.Null(w.Failure);
    }

    [Fact]
    public void A_write_error_is_exit_74_with_the_file_and_the_reason()
    {
        var e = new RecordingWriteException("/mnt/x.tsrec", "No space left on device", new IOException("disk full"));

        CliException c = ErrorTranslation.ToCliException(e);

        Assert.Equal(74, c.ExitCode);
        Assert.Equal("cannot write the recording /mnt/x.tsrec: No space left on device", c.Message);
    }
}

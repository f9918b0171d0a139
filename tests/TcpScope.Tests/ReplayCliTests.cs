using TcpScope.Cli;
using TcpScope.Decode;
using TcpScope.Recording;
using TcpScope.Sources;

namespace TcpScope.Tests;

/// <summary>--from as a user runs it, without root: the recording's clock and names, the documented errors and refusals.</summary>
public sealed class ReplayCliTests : IDisposable
{
    private const long S = 1_000_000_000;

    // far beyond this host's uptime: a replay that asked this host's clock would see the leak in the future
    private const long T0 = 40L * 24 * 3600 * S;

    private readonly string dir = Directory.CreateTempSubdirectory("tcpscope-cli-rec-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new MemoryStream();
        var error = new StringWriter();
        int code = CliApp.Run(args, new CliConsole(TextWriter.Null, error, () => stdout));
        return (code, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), error.ToString());
    }

    /// <summary>A states recording from an old session: a server socket enters CLOSE_WAIT and the recording goes on 90 s.</summary>
    private string CloseWaitRecording()
    {
        string path = Path.Combine(dir, "cw.tsrec");
        RecordingHeader header = RecordingTests.Header() with { StartNs = T0 - S, WallOffsetNs = 1_700_000_000L * S };
        using RecordingWriter w = RecordingWriter.Create(path, header, KernelEnums.BuiltIn.Tables);
        w.OnRecord(RawRecords.State(T0, 1, 8)); // ESTABLISHED -> CLOSE_WAIT
        w.OnBatchEnd(T0 + S);
        w.OnBatchEnd(T0 + (89 * S));
        w.Complete(new SourceStats(1, 0, 0, StartNs: T0 - S, EndNs: T0 + (89 * S)));
        return path;
    }

    [Fact]
    public void The_close_wait_rule_finds_the_leak_of_an_old_recording_on_the_recordings_clock()
    {
        (int code, string output, string err) = Run("states", "--json", "--from", CloseWaitRecording());

        Assert.True(code == 0, err);
        Assert.Contains("\"id\":\"TCP-CLOSE-WAIT-LEAK\"", output);
        Assert.Contains("\"seconds\":90,", output); // the recording's length, not this replay's
        Assert.Contains("\"source\":\"tp_btf/inet_sock_set_state\"", output);
        Assert.Contains("replaying", err);
        Assert.DoesNotContain("tracing via", err); // nothing is traced, and there is nothing to stop with Ctrl-C
    }

    [Fact]
    public void Times_of_day_come_from_the_recordings_wall_clock_offset()
    {
        (int code, string output, string err) = Run("states", "-T", "--from", CloseWaitRecording());

        // 1 700 000 000 s + 40 days is 2023-12-24 22:13:20 UTC
        Assert.True(code == 0, err);
        Assert.Contains(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(2023, 12, 24, 22, 13, 20, DateTimeKind.Utc), TimeZoneInfo.Local).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), output);
    }

    [Fact]
    public void A_file_that_is_no_recording_exits_65_naming_the_file_and_offset()
    {
        string path = Path.Combine(dir, "notes.txt");
        File.WriteAllText(path, "hello");

        (int code, _, string err) = Run("life", "--from", path);

        Assert.Equal(65, code);
        Assert.Contains($"tcpscope: {path}: not a tcpscope recording", err);
        Assert.Contains("at byte 0", err);
    }

    [Fact]
    public void A_corrupted_recording_exits_65_after_what_was_read()
    {
        byte[] file = File.ReadAllBytes(CloseWaitRecording());
        long records = RecordingTests.ChunkStarts(file)[2];
        file[records + 20] ^= 0xff;
        string path = Path.Combine(dir, "bad.tsrec");
        File.WriteAllBytes(path, file);

        (int code, _, string err) = Run("states", "--from", path);

        Assert.Equal(65, code);
        Assert.Contains($"corrupted: a chunk's checksum does not match (at byte {records};", err);
    }

    [Fact]
    public void A_recording_cut_by_a_kill_replays_what_was_written_then_exits_65()
    {
        string path = Path.Combine(dir, "live.tsrec");
        RecordingHeader header = RecordingTests.Header() with { StartNs = T0 };
        using RecordingWriter w = RecordingWriter.Create(path, header, KernelEnums.BuiltIn.Tables);
        w.OnRecord(RawRecords.State(T0 + 100, 2, 1, socket: 0xffff888100000001)); // SYN_SENT -> ESTABLISHED
        w.OnBatchEnd(T0 + S); // written
        w.OnRecord(RawRecords.State(T0 + S + 100, 2, 1, socket: 0xffff888100000002));
        w.OnBatchEnd(T0 + (2 * S)); // written
        w.OnRecord(RawRecords.State(T0 + (2 * S) + 100, 2, 1, socket: 0xffff888100000003));
        w.OnBatchEnd(T0 + (2 * S) + 10); // not yet: the kill loses it
        string killed = Path.Combine(dir, "killed.tsrec");
        File.WriteAllBytes(killed, ReadShared(path));

        (int code, string output, string err) = Run("states", "--json", "--from", killed);

        Assert.Equal(65, code);
        Assert.Contains("truncated", err);
        Assert.Contains("2 records in 2 batches", err);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains("\"newstate\":\"ESTABLISHED\"", StringComparison.Ordinal)));
    }

    private static byte[] ReadShared(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var m = new MemoryStream();
        f.CopyTo(m);
        return m.ToArray();
    }

    [Fact]
    public void A_missing_recording_exits_66()
    {
        (int code, _, string err) = Run("connect", "--from", Path.Combine(dir, "none.tsrec"));

        Assert.Equal(66, code);
        Assert.Contains("cannot read the recording", err);
    }

    [Theory]
    [InlineData("-L", "80")]
    [InlineData("--pid", "1")]
    [InlineData("--ring-size", "16")]
    [InlineData("--max-sockets", "4096")]
    [InlineData("--duration", "5")]
    [InlineData("--record", "/tmp/x.tsrec")]
    public void Options_that_act_only_while_tracing_are_refused_with_from(string option, string value)
    {
        (int code, _, string err) = Run("states", "--from", "any.tsrec", option, value);

        Assert.Equal(2, code);
        Assert.Contains("--from", err);
    }

    [Fact]
    public void Connect_stacks_from_a_recording_without_stacks_is_a_usage_error()
    {
        (int code, _, string err) = Run("connect", "--stacks", "--from", CloseWaitRecording());

        Assert.Equal(2, code);
        Assert.Contains("recorded without stacks", err);
    }
}

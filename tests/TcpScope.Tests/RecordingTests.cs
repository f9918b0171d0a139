using System.Buffers.Binary;
using TcpScope.Decode;
using TcpScope.Recording;
using TcpScope.Sources;

namespace TcpScope.Tests;

public sealed class RecordingTests : IDisposable
{
    private const long WallOffset = 1_764_000_000_000_000_000;
    private readonly string dir = Directory.CreateTempSubdirectory("tcpscope-rec-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    internal static RecordingHeader Header(string source = "tp_btf/inet_sock_set_state", uint abi = RecordingFormat.RecordAbiVersion) =>
        new(abi, WallOffset, 1_000, "6.18.0-test", "host-a", "0b1c2d3e-boot", source, "tcpscope test", "states", MaxSockets: 4096);

    /// <summary>A recording of two batches: three state records, then the batch ends at 5 000 and 9 000 ns.</summary>
    internal static string Write(string path, IReadOnlyList<KernelEnumTable>? tables = null, Action<RecordingWriter>? body = null)
    {
        using RecordingWriter w = RecordingWriter.Create(path, Header(), tables ?? KernelEnums.BuiltIn.Tables);
        if (body is null)
        {
            w.OnRecord(RawRecords.State(2_000, 2, 1)); // SYN_SENT -> ESTABLISHED
            w.OnRecord(RawRecords.State(3_000, 1, 4)); // ESTABLISHED -> FIN_WAIT1
            w.OnBatchEnd(5_000);
            w.OnRecord(RawRecords.State(6_000, 4, 7)); // FIN_WAIT1 -> CLOSE
            w.OnBatchEnd(9_000);
        }
        else
        {
            body(w);
        }

        w.Complete(new SourceStats(3, Lost: 7, Malformed: 0, SocketsNotFollowed: 2, LossNotices: 1, StartNs: 1_500, EndNs: 9_000));
        return path;
    }

    [Fact]
    public void A_replay_delivers_the_records_decoded_and_the_idle_moments_with_the_recorded_times_in_file_order()
    {
        string path = Write(Path.Combine(dir, "a.tsrec"));
        var sink = new Calls();

        using ReplaySource source = ReplaySource.Open(path);
        SourceStats stats = source.Run(sink, CancellationToken.None);

        Assert.Equal(
            ["state 2000 SYN_SENT>ESTABLISHED", "state 3000 ESTABLISHED>FIN_WAIT1", "idle 5000", "state 6000 FIN_WAIT1>CLOSE", "idle 9000"],
            sink.Log);
        Assert.Equal(new SourceStats(3, 7, 0, SocketsNotFollowed: 2, LossNotices: 1, StartNs: 1_500, EndNs: 9_000), stats);
        Assert.Equal("tp_btf/inet_sock_set_state", source.Description);
        Assert.Equal(WallOffset, source.WallOffsetNs);
        Assert.Equal(Header(), source.Header);
    }

    [Fact]
    public void A_replay_asked_for_state_records_only_skips_and_counts_the_others()
    {
        string path = Write(Path.Combine(dir, "mixed.tsrec"), body: w =>
        {
            w.OnRecord(RawRecords.State(2_000, 2, 1));
            byte[] retransmit = new byte[TcpScope.Decode.Abi.SockEvent.Size];
            BinaryPrimitives.WriteUInt16LittleEndian(retransmit, (ushort)TcpScope.Decode.Abi.EventKind.Retransmit);
            BinaryPrimitives.WriteUInt16LittleEndian(retransmit.AsSpan(2), (ushort)retransmit.Length);
            w.OnRecord(retransmit);
            w.OnRecord(retransmit);
            w.OnRecord(RawRecords.State(6_000, 1, 4));
            w.OnBatchEnd(9_000);
        });
        var sink = new Calls();

        using ReplaySource source = ReplaySource.Open(path).Only(TcpScope.Decode.Abi.EventKind.State);
        SourceStats stats = source.Run(sink, CancellationToken.None);

        Assert.Equal(["state 2000 SYN_SENT>ESTABLISHED", "state 6000 ESTABLISHED>FIN_WAIT1", "idle 9000"], sink.Log);
        Assert.Equal(2, stats.Events);
        Assert.Equal(2, source.Skipped);
    }

    [Fact]
    public void A_read_that_fails_is_an_unreadable_file_not_a_corrupted_one()
    {
        byte[] file = File.ReadAllBytes(Write(Path.Combine(dir, "disk.tsrec")));
        using var failing = new FailingAfter(file, file.Length - 10); // the disk fails inside the trailer's chunk

        RecordingException e = Assert.Throws<RecordingException>(() =>
        {
            using ReplaySource source = ReplaySource.Open(failing, "disk.tsrec");
            source.Run(new Calls(), CancellationToken.None);
        });

        Assert.Equal(RecordingProblem.Unreadable, e.Problem);
        Assert.Contains("cannot be read: Input/output error", e.Message);
        Assert.Equal(TcpScope.Cli.ExitCodes.IoError, TcpScope.Cli.ErrorTranslation.ToCliException(e).ExitCode);
    }

    /// <summary>A file whose disk fails with EIO once <paramref name="goodBytes"/> have been read.</summary>
    private sealed class FailingAfter(byte[] bytes, int goodBytes) : MemoryStream(bytes, writable: false)
    {
        // Stream.Read(Span) of a derived MemoryStream comes here through a rented array
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= goodBytes)
            {
                throw new IOException("Input/output error");
            }

            return base.Read(buffer, offset, (int)Math.Min(count, goodBytes - Position));
        }
    }

    [Fact]
    public void Raw_records_come_back_byte_for_byte_across_many_chunks()
    {
        var written = new List<byte[]>();
        string path = Write(Path.Combine(dir, "many.tsrec"), body: w =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                byte[] r = RawRecords.State(10_000 + i, (byte)(1 + (i % 12)), (byte)(1 + ((i + 3) % 12)), socket: (ulong)i);
                written.Add(i % 5 == 0 ? r[..(13 + (i % 90))] : r); // odd lengths too: the padding must not show
                w.OnRecord(written[^1]);
                if (i % 100 == 99)
                {
                    w.OnBatchEnd(i);
                }
            }
        });
        var tap = new CopyTap();

        using RecordingReader reader = RecordingReader.Open(path);
        RecordingTrailer? trailer = reader.Replay(tap);

        Assert.True(new FileInfo(path).Length > RecordingFormat.RecordsChunkBytes / 8, "the test must span several chunks");
        Assert.True(CountChunks(File.ReadAllBytes(path)) > 4);
        Assert.Equal(written.Count, tap.Records.Count);
        for (int i = 0; i < written.Count; i++)
        {
            Assert.Equal(written[i], tap.Records[i]);
        }

        Assert.Equal(200, tap.Batches.Count);
        Assert.Equal(19_999, tap.Batches[^1]);
        Assert.Equal(20_000, trailer!.Records);
    }

    [Fact]
    public void A_recording_from_a_kernel_with_other_enum_numbers_decodes_to_the_same_names()
    {
        // a kernel that numbered TCP states and reset reasons differently from this one
        KernelEnumTable states = new(KernelEnumTable.TcpStates,
        [
            new(21, "TCP_SYN_SENT"), new(22, "TCP_ESTABLISHED"), new(23, "TCP_FIN_WAIT1"), new(24, "TCP_CLOSE"), new(1, "TCP_LISTEN"),
        ]);
        KernelEnumTable resets = new(KernelEnumTable.ResetReasons, [new(42, "SK_RST_REASON_NO_SOCKET"), new(3, "SK_RST_REASON_NOT_SPECIFIED")]);
        string path = Write(Path.Combine(dir, "other.tsrec"), [states, resets], w =>
        {
            w.OnRecord(RawRecords.State(2_000, 21, 22));
            w.OnRecord(RawRecords.State(3_000, 22, 23));
            w.OnRecord(RawRecords.State(4_000, 23, 24));
            w.OnRecord(RawRecords.State(5_000, 1, 2)); // 2 is no state there
            w.OnBatchEnd(9_000);
        });
        var sink = new Calls();

        using ReplaySource source = ReplaySource.Open(path);
        source.Run(sink, CancellationToken.None);

        Assert.Equal(
            ["state 2000 SYN_SENT>ESTABLISHED", "state 3000 ESTABLISHED>FIN_WAIT1", "state 4000 FIN_WAIT1>CLOSE", "state 5000 LISTEN>Unknown", "idle 9000"],
            sink.Log);
        Assert.Equal("NO_SOCKET", source.Enums.ResetReason(42));
        Assert.Null(source.Enums.ResetReason(2));
    }

    [Fact]
    public void The_running_kernels_tables_survive_the_file()
    {
        KernelEnums kernel = KernelEnums.FromKernel();
        string path = Write(Path.Combine(dir, "kernel.tsrec"), kernel.Tables);

        using RecordingReader reader = RecordingReader.Open(path);

        Assert.Equal(kernel.Tables.Select(t => t.Name), reader.Tables.Select(t => t.Name));
        Assert.Equal(kernel.Tables[0].Members, reader.Tables[0].Members);
        Assert.Contains(new KeyValuePair<long, string>(8, "TCP_CLOSE_WAIT"), reader.Tables[0].Members);
    }

    [Fact]
    public void An_empty_file_is_not_a_recording()
    {
        string path = Path.Combine(dir, "empty");
        File.WriteAllBytes(path, []);

        RecordingException e = Assert.Throws<RecordingException>(() => ReplaySource.Open(path));

        Assert.Equal(RecordingProblem.NotARecording, e.Problem);
        Assert.Equal(0, e.Offset);
        Assert.StartsWith(path + ": not a tcpscope recording", e.Message);
    }

    [Fact]
    public void A_file_with_another_magic_is_not_a_recording()
    {
        string path = Path.Combine(dir, "text");
        File.WriteAllText(path, "ts,event\n1,SYN_SENT\n2,ESTABLISHED\n");

        RecordingException e = Assert.Throws<RecordingException>(() => ReplaySource.Open(path));

        Assert.Equal(RecordingProblem.NotARecording, e.Problem);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void A_newer_format_version_is_refused_by_name()
    {
        byte[] file = File.ReadAllBytes(Write(Path.Combine(dir, "v.tsrec")));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 2);
        string path = Path.Combine(dir, "v2.tsrec");
        File.WriteAllBytes(path, file);

        RecordingException e = Assert.Throws<RecordingException>(() => ReplaySource.Open(path));

        Assert.Equal(RecordingProblem.NewerVersion, e.Problem);
        Assert.Contains("version 2", e.Message);
    }

    [Fact]
    public void Ring_records_of_a_newer_abi_are_refused()
    {
        string path = Path.Combine(dir, "abi.tsrec");
        using (RecordingWriter w = RecordingWriter.Create(path, Header(abi: 9), KernelEnums.BuiltIn.Tables))
        {
            w.Complete(default);
        }

        RecordingException e = Assert.Throws<RecordingException>(() => ReplaySource.Open(path));

        Assert.Equal(RecordingProblem.NewerVersion, e.Problem);
        Assert.Equal(16, e.Offset); // the header chunk, right after the preamble
    }

    [Fact]
    public void A_file_cut_inside_a_chunk_is_truncated_at_that_chunk_after_delivering_the_chunks_before_it()
    {
        byte[] file = File.ReadAllBytes(Write(Path.Combine(dir, "t.tsrec")));
        long[] starts = ChunkStarts(file);
        long recordsChunk = starts[2]; // preamble, header, enums, then the records
        string path = Path.Combine(dir, "cut.tsrec");
        File.WriteAllBytes(path, file[..(int)(recordsChunk + 20)]);

        using ReplaySource source = ReplaySource.Open(path);
        RecordingException e = Assert.Throws<RecordingException>(() => source.Run(new Calls(), CancellationToken.None));

        Assert.Equal(RecordingProblem.Truncated, e.Problem);
        Assert.Equal(recordsChunk, e.Offset);
        Assert.Contains($"{recordsChunk} of {recordsChunk + 20} bytes read", e.Message);
    }

    [Fact]
    public void A_file_without_its_trailer_is_truncated_and_what_came_before_is_delivered()
    {
        byte[] file = File.ReadAllBytes(Write(Path.Combine(dir, "t.tsrec")));
        long trailer = ChunkStarts(file)[^1];
        string path = Path.Combine(dir, "notrailer.tsrec");
        File.WriteAllBytes(path, file[..(int)trailer]);
        var sink = new Calls();

        using ReplaySource source = ReplaySource.Open(path);
        RecordingException e = Assert.Throws<RecordingException>(() => source.Run(sink, CancellationToken.None));

        Assert.Equal(RecordingProblem.Truncated, e.Problem);
        Assert.Equal(trailer, e.Offset);
        Assert.Contains("3 records in 2 batches", e.Message);
        Assert.Equal(5, sink.Log.Count);
    }

    [Fact]
    public void A_writer_disposed_before_complete_leaves_what_it_had_readable_up_to_the_missing_trailer()
    {
        string path = Path.Combine(dir, "killed.tsrec");
        using (RecordingWriter w = RecordingWriter.Create(path, Header(), KernelEnums.BuiltIn.Tables))
        {
            w.OnRecord(RawRecords.State(2_000, 2, 1));
            w.OnBatchEnd(5_000);
        }

        var sink = new Calls();
        using ReplaySource source = ReplaySource.Open(path);
        RecordingException e = Assert.Throws<RecordingException>(() => source.Run(sink, CancellationToken.None));

        Assert.Equal(RecordingProblem.Truncated, e.Problem);
        Assert.Equal(["state 2000 SYN_SENT>ESTABLISHED", "idle 5000"], sink.Log);
    }

    [Fact]
    public void A_flipped_byte_mid_file_is_corruption_found_at_its_chunk()
    {
        byte[] file = File.ReadAllBytes(Write(Path.Combine(dir, "f.tsrec")));
        long[] starts = ChunkStarts(file);
        long recordsChunk = starts[2];
        file[recordsChunk + 30] ^= 0x10;
        string path = Path.Combine(dir, "flipped.tsrec");
        File.WriteAllBytes(path, file);

        using ReplaySource source = ReplaySource.Open(path);
        RecordingException e = Assert.Throws<RecordingException>(() => source.Run(new Calls(), CancellationToken.None));

        Assert.Equal(RecordingProblem.Corrupted, e.Problem);
        Assert.Equal(recordsChunk, e.Offset);
        Assert.Contains("checksum", e.Message);
        Assert.Contains($"{recordsChunk} of {file.Length} bytes read", e.Message);
    }

    [Fact]
    public void A_flipped_byte_in_the_header_is_found_when_opening()
    {
        byte[] file = File.ReadAllBytes(Write(Path.Combine(dir, "h.tsrec")));
        file[16 + 20] ^= 0x01;
        string path = Path.Combine(dir, "h2.tsrec");
        File.WriteAllBytes(path, file);

        RecordingException e = Assert.Throws<RecordingException>(() => ReplaySource.Open(path));

        Assert.Equal(RecordingProblem.Corrupted, e.Problem);
        Assert.Equal(16, e.Offset);
    }

    /// <summary>Where each chunk starts, read from the frames as docs/recording-format.md lays them out.</summary>
    internal static long[] ChunkStarts(byte[] file)
    {
        var starts = new List<long>();
        long at = 16;
        while (at < file.Length)
        {
            starts.Add(at);
            at += 16 + BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)at + 4));
        }

        return [.. starts];
    }

    private static int CountChunks(byte[] file) => ChunkStarts(file).Length;

    internal sealed class Calls : IEventSink
    {
        public List<string> Log { get; } = [];

        public void OnStateChange(in StateChange e) => Log.Add($"state {e.TimestampNs} {e.OldState}>{e.NewState}");

        public void OnSocketEvent(in SocketEvent e) => Log.Add($"sock {e.TimestampNs} {e.Kind}");

        public void OnTotals(in SocketTotals e) => Log.Add($"totals {e.TimestampNs}");

        public void OnIcmpError(in IcmpError e) => Log.Add($"icmp {e.TimestampNs}");

        public void OnStack(StackSample e) => Log.Add($"stack {e.TimestampNs}");

        public void OnDrop(in PacketDrop e) => Log.Add($"drop {e.TimestampNs}");

        public void OnIdle(long monotonicNowNs) => Log.Add($"idle {monotonicNowNs}");
    }

    private sealed class CopyTap : IRingTap
    {
        public List<byte[]> Records { get; } = [];

        public List<long> Batches { get; } = [];

        public void OnRecord(ReadOnlySpan<byte> record) => Records.Add(record.ToArray());

        public void OnBatchEnd(long monotonicNowNs) => Batches.Add(monotonicNowNs);
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using TcpScope.Decode;
using TcpScope.Host;
using TcpScope.Sources;

namespace TcpScope.Recording;

/// <summary>
/// Writes a recording from a tap on the ring: each record and batch end is copied into one
/// reused chunk buffer (no allocation per record), which is compressed and written once it
/// holds <see cref="RecordingFormat.RecordsChunkBytes"/>, or at the first batch end a second
/// after the last write: the file is unbuffered, so a killed run leaves everything up to about a
/// second before the kill, which a reader reports as truncated after delivering it (as a writer
/// disposed without <see cref="Complete"/>). Not thread-safe: the draining thread calls it.
/// A write that fails does not throw into the drain: the writer stops (<see cref="Stopped"/>),
/// keeps the error in <see cref="Failure"/>, or notes that the reader of its pipe is gone.
/// </summary>
public sealed class RecordingWriter : IRingTap, IDisposable
{
    private readonly FileStream file;
    private readonly ChunkWriter chunks;
    private RecordingHeader? header;
    private byte[] buffer = new byte[RecordingFormat.RecordsChunkBytes];
    private int used;
    private bool completed;
    private long lastWriteNs;

    // made by Create: removed again if the run never began (an earlier file there is left as it was)
    private readonly bool created;

    private RecordingWriter(FileStream file, bool created)
    {
        this.file = file;
        this.created = created;
        chunks = new ChunkWriter(file);
    }

    public string Path => file.Name;

    public long Records { get; private set; }

    public long Batches { get; private set; }

    /// <summary>Bytes in the file so far (what is still buffered not counted).</summary>
    public long BytesWritten => chunks.BytesWritten;

    /// <summary>Nothing more is written: a write failed, or the reader of the pipe it writes to is gone.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The file is a pipe whose reader has gone (EPIPE): an end, not an error (as `states | head`).</summary>
    public bool ReaderGone { get; private set; }

    /// <summary>The write that failed, other than a gone reader: the recording ends there.</summary>
    public RecordingWriteException? Failure { get; private set; }

    /// <summary>
    /// Opens the file for writing before anything is loaded, so an unwritable path fails first,
    /// but replaces what it held only in <see cref="Begin"/>, once the source runs: a run that
    /// fails to start leaves an earlier recording there as it was (and removes a file it made).
    /// </summary>
    public static RecordingWriter Create(string path)
    {
        bool existed = File.Exists(path);
        // unbuffered: a chunk is one large write, and what is written must reach the file (or the pipe) at once
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0);
        return new RecordingWriter(file, created: !existed && file.CanSeek);
    }

    /// <summary>Creates the file and writes its header and enum tables.</summary>
    public static RecordingWriter Create(string path, RecordingHeader header, IReadOnlyList<KernelEnumTable> enums)
    {
        RecordingWriter w = Create(path);
        try
        {
            w.Begin(header, enums);
            return w;
        }
        catch
        {
            w.Dispose();
            throw;
        }
    }

    /// <summary>Writes the preamble, header and enum tables at once; before the first record. A failure stops the writer (see <see cref="Failure"/>).</summary>
    public void Begin(RecordingHeader header, IReadOnlyList<KernelEnumTable> enums)
    {
        if (this.header is not null)
        {
            throw new InvalidOperationException("a recording has one header");
        }

        this.header = header;
        lastWriteNs = header.StartNs;
        try
        {
            if (file.CanSeek && file.Length > 0)
            {
                file.SetLength(0); // what an earlier recording left goes now (a pipe or a device has nothing to replace)
            }

            chunks.WritePreamble();
            chunks.Write(ChunkKind.Header, Payloads.Header(header));
            chunks.Write(ChunkKind.Enums, Payloads.Enums(enums));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Stop(e);
        }
    }

    public void OnRecord(ReadOnlySpan<byte> record)
    {
        _ = Header;
        if (Stopped)
        {
            return;
        }

        int padded = (record.Length + 7) & ~7;
        Span<byte> entry = Reserve(RecordingFormat.EntryHeaderSize + padded);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, RecordingFormat.EntryRecord);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)record.Length);
        record.CopyTo(entry[RecordingFormat.EntryHeaderSize..]);
        entry[(RecordingFormat.EntryHeaderSize + record.Length)..].Clear();
        Records++;
    }

    public void OnBatchEnd(long monotonicNowNs)
    {
        if (Stopped)
        {
            return;
        }

        Span<byte> entry = Reserve(RecordingFormat.EntryHeaderSize + 8);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, RecordingFormat.EntryBatchEnd);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 8);
        BinaryPrimitives.WriteInt64LittleEndian(entry[8..], monotonicNowNs);
        Batches++;
        if (monotonicNowNs - lastWriteNs >= RecordingFormat.FlushIntervalNs)
        {
            FlushChunk();
            lastWriteNs = monotonicNowNs;
        }
    }

    /// <summary>
    /// Writes what is buffered and the trailer, and closes the file: from here it is a valid
    /// recording, unless the writer has <see cref="Stopped"/> (then nothing more is written).
    /// </summary>
    public RecordingTrailer Complete(SourceStats stats)
    {
        FlushChunk();
        var trailer = new RecordingTrailer(stats, Header.Source, Records, Batches);
        if (!Stopped)
        {
            try
            {
                chunks.Write(ChunkKind.Trailer, Payloads.Trailer(trailer));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Stop(e);
            }
        }

        completed = true;
        file.Dispose();
        return trailer;
    }

    public void Dispose()
    {
        if (header is null)
        {
            file.Dispose();
            if (created)
            {
                File.Delete(file.Name);
            }

            return;
        }

        if (!completed)
        {
            // what was recorded is kept: the reader reads it up to the missing trailer and says so
            FlushChunk();
            file.Dispose();
        }
    }

    private Span<byte> Reserve(int bytes)
    {
        if (used + bytes > buffer.Length)
        {
            FlushChunk();
            if (bytes > buffer.Length)
            {
                buffer = new byte[bytes]; // a record larger than a chunk: none is today
            }
        }

        Span<byte> s = buffer.AsSpan(used, bytes);
        used += bytes;
        return s;
    }

    private RecordingHeader Header => header ?? throw new InvalidOperationException("Begin() writes the header before any record");

    private void FlushChunk()
    {
        if (used > 0 && header is not null && !Stopped)
        {
            try
            {
                chunks.Write(ChunkKind.Records, buffer.AsSpan(0, used));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Stop(e);
            }
        }

        used = 0;
    }

    private void Stop(Exception e)
    {
        Stopped = true;
        used = 0;
        // .NET's IOException for a failed write(2) carries the errno as its HResult
        int errno = e.HResult;
        if (e is IOException && FileDescriptors.IsBrokenPipe(errno))
        {
            ReaderGone = true;
            return;
        }

        string reason = e is IOException && errno is > 0 and < 4096 ? Marshal.GetPInvokeErrorMessage(errno) : e.Message;
        Failure = new RecordingWriteException(Path, reason, e);
    }
}

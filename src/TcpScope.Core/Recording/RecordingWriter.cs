using System.Buffers.Binary;
using TcpScope.Decode;
using TcpScope.Sources;

namespace TcpScope.Recording;

/// <summary>
/// Writes a recording from a tap on the ring: each record and batch end is copied into one
/// reused chunk buffer (no allocation per record), which is compressed and written once it
/// holds <see cref="RecordingFormat.RecordsChunkBytes"/>. Not thread-safe: the draining thread
/// calls it. A writer disposed without <see cref="Complete"/> leaves a file without trailer,
/// which a reader reports as truncated.
/// </summary>
public sealed class RecordingWriter : IRingTap, IDisposable
{
    private readonly FileStream file;
    private readonly ChunkWriter chunks;
    private RecordingHeader? header;
    private byte[] buffer = new byte[RecordingFormat.RecordsChunkBytes];
    private int used;
    private bool completed;

    private RecordingWriter(FileStream file)
    {
        this.file = file;
        chunks = new ChunkWriter(file);
    }

    public string Path => file.Name;

    public long Records { get; private set; }

    public long Batches { get; private set; }

    /// <summary>Bytes in the file so far (what is still buffered not counted).</summary>
    public long BytesWritten => chunks.BytesWritten;

    /// <summary>
    /// Creates (or replaces) the file: before anything is loaded, so an unwritable path fails
    /// first. <see cref="Begin"/> writes the header once the source is known.
    /// </summary>
    public static RecordingWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));

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

    /// <summary>Writes the preamble, header and enum tables; before the first record.</summary>
    public void Begin(RecordingHeader header, IReadOnlyList<KernelEnumTable> enums)
    {
        if (this.header is not null)
        {
            throw new InvalidOperationException("a recording has one header");
        }

        this.header = header;
        chunks.WritePreamble();
        chunks.Write(ChunkKind.Header, Payloads.Header(header));
        chunks.Write(ChunkKind.Enums, Payloads.Enums(enums));
    }

    public void OnRecord(ReadOnlySpan<byte> record)
    {
        _ = Header;
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
        Span<byte> entry = Reserve(RecordingFormat.EntryHeaderSize + 8);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, RecordingFormat.EntryBatchEnd);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 8);
        BinaryPrimitives.WriteInt64LittleEndian(entry[8..], monotonicNowNs);
        Batches++;
    }

    /// <summary>Writes what is buffered and the trailer, and closes the file: from here it is a valid recording.</summary>
    public RecordingTrailer Complete(SourceStats stats)
    {
        FlushChunk();
        var trailer = new RecordingTrailer(stats, Header.Source, Records, Batches);
        chunks.Write(ChunkKind.Trailer, Payloads.Trailer(trailer));
        file.Flush(flushToDisk: false);
        completed = true;
        file.Dispose();
        return trailer;
    }

    public void Dispose()
    {
        if (!completed)
        {
            // what was recorded is kept: the reader reads it up to the missing trailer and says so
            try
            {
                FlushChunk();
            }
            catch (IOException)
            {
            }

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
        if (used > 0 && header is not null)
        {
            chunks.Write(ChunkKind.Records, buffer.AsSpan(0, used));
            used = 0;
        }
    }
}

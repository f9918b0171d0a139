using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using TcpScope.Decode;

namespace TcpScope.Recording;

/// <summary>
/// Reads a recording chunk by chunk: the header and enum tables when opened, then the ring
/// records and batch ends into a tap. Anything wrong with the file surfaces as a
/// <see cref="RecordingException"/> naming the byte where it was found and how much was read.
/// </summary>
public sealed class RecordingReader : IDisposable
{
    private readonly Stream input;
    private readonly long length;
    private readonly byte[] frame = new byte[RecordingFormat.ChunkHeaderSize];
    private byte[] stored = new byte[64 << 10];
    private byte[] raw = new byte[RecordingFormat.RecordsChunkBytes];
    private long offset;
    private long chunkStart;
    private bool started;

    private RecordingReader(Stream input, string path)
    {
        this.input = input;
        Path = path;
        length = input.CanSeek ? input.Length : -1;
        ReadPreamble();
        Header = ReadPayload(ChunkKind.Header, Payloads.ReadHeader);
        if (Header.RecordAbiVersion > RecordingFormat.RecordAbiVersion)
        {
            throw Fail(RecordingProblem.NewerVersion, $"its ring records are of ABI version {Header.RecordAbiVersion}; this tcpscope decodes up to {RecordingFormat.RecordAbiVersion} (a newer tcpscope reads it)");
        }

        Tables = ReadPayload(ChunkKind.Enums, Payloads.ReadEnums);
        Enums = KernelEnums.FromTables(Tables, "recording");
    }

    public string Path { get; }

    public RecordingHeader Header { get; }

    /// <summary>The recording host's enums by name.</summary>
    public IReadOnlyList<KernelEnumTable> Tables { get; }

    /// <summary>The recording host's numbers, translated by name (not this host's).</summary>
    public KernelEnums Enums { get; }

    /// <summary>Read once <see cref="Replay"/> reached the end.</summary>
    public RecordingTrailer? Trailer { get; private set; }

    public long Records { get; private set; }

    public long Batches { get; private set; }

    /// <summary>Bytes of the file read and checked so far.</summary>
    public long BytesRead => offset;

    public static RecordingReader Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        try
        {
            return new RecordingReader(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <param name="name">Names the input in errors.</param>
    public static RecordingReader Open(Stream input, string name) => new(input, name);

    /// <summary>
    /// Delivers every record and batch end to <paramref name="tap"/>, in file order, up to the
    /// trailer; returns it, or null when cancelled first (checked between chunks).
    /// </summary>
    public RecordingTrailer? Replay(IRingTap tap, CancellationToken cancellation = default)
    {
        if (started)
        {
            throw new InvalidOperationException("a recording is replayed once");
        }

        started = true;
        while (!cancellation.IsCancellationRequested)
        {
            if (!TryReadChunk(out ChunkKind kind, out int rawLength))
            {
                throw Fail(RecordingProblem.Truncated, "truncated: the file ends without its trailer (not ended cleanly, or cut off)");
            }

            switch (kind)
            {
                case ChunkKind.Records:
                    Deliver(raw.AsSpan(0, rawLength), tap);
                    break;
                case ChunkKind.Trailer:
                    Trailer = Parse(rawLength, Payloads.ReadTrailer);
                    if (Read(new byte[1]) > 0) // once, at the end
                    {
                        chunkStart = offset;
                        throw Fail(RecordingProblem.Corrupted, "corrupted: there is data after the trailer");
                    }

                    return Trailer;
                case ChunkKind.Header or ChunkKind.Enums:
                    throw Fail(RecordingProblem.Corrupted, $"corrupted: a second {kind} chunk");
                default:
                    break; // a later kind of chunk: checked, and not needed for the records
            }
        }

        return null;
    }

    public void Dispose() => input.Dispose();

    private void Deliver(ReadOnlySpan<byte> entries, IRingTap tap)
    {
        int pos = 0;
        while (pos < entries.Length)
        {
            if (entries.Length - pos < RecordingFormat.EntryHeaderSize)
            {
                throw Fail(RecordingProblem.Corrupted, $"corrupted: a records chunk ends inside an entry (at {pos} of its {entries.Length} bytes)");
            }

            uint kind = BinaryPrimitives.ReadUInt32LittleEndian(entries[pos..]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(entries[(pos + 4)..]);
            long padded = (size + 7) & ~7L;
            int body = pos + RecordingFormat.EntryHeaderSize;
            if (padded > entries.Length - body)
            {
                throw Fail(RecordingProblem.Corrupted, $"corrupted: an entry of {size} bytes overruns its chunk (at {pos} of its {entries.Length} bytes)");
            }

            if (kind == RecordingFormat.EntryRecord)
            {
                Records++;
                tap.OnRecord(entries.Slice(body, (int)size));
            }
            else if (kind == RecordingFormat.EntryBatchEnd && size == 8)
            {
                Batches++;
                tap.OnBatchEnd(BinaryPrimitives.ReadInt64LittleEndian(entries[body..]));
            }
            else
            {
                throw Fail(RecordingProblem.Corrupted, $"corrupted: an entry of unknown kind {kind} and size {size} (at {pos} of its chunk's {entries.Length} bytes)");
            }

            pos = body + (int)padded;
        }
    }

    private void ReadPreamble()
    {
        Span<byte> p = stackalloc byte[RecordingFormat.PreambleSize];
        int n = Read(p);
        if (n == 0)
        {
            throw Fail(RecordingProblem.NotARecording, "not a tcpscope recording: the file is empty");
        }

        int magic = Math.Min(n, RecordingFormat.Magic.Length);
        if (!p[..magic].SequenceEqual(RecordingFormat.Magic[..magic]))
        {
            throw Fail(RecordingProblem.NotARecording, "not a tcpscope recording (it does not start with one's magic bytes; make one with `tcpscope record -o FILE`)");
        }

        if (n < p.Length)
        {
            throw Fail(RecordingProblem.Truncated, $"truncated: the file ends inside its {RecordingFormat.PreambleSize}-byte preamble, after {n} bytes");
        }

        offset = n;
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(p[8..]);
        if (version > RecordingFormat.Version)
        {
            throw Fail(RecordingProblem.NewerVersion, $"written in recording format version {version}; this tcpscope reads up to version {RecordingFormat.Version} (a newer tcpscope reads it)");
        }

        if (version == 0)
        {
            throw Fail(RecordingProblem.Corrupted, "corrupted: format version 0");
        }
    }

    private T ReadPayload<T>(ChunkKind expected, Func<BinaryReader, T> read)
    {
        if (!TryReadChunk(out ChunkKind kind, out int rawLength))
        {
            throw Fail(RecordingProblem.Truncated, $"truncated: the file ends before its {expected} chunk");
        }

        if (kind != expected)
        {
            throw Fail(RecordingProblem.Corrupted, $"corrupted: a {kind} chunk where the {expected} chunk belongs");
        }

        return Parse(rawLength, read);
    }

    private T Parse<T>(int rawLength, Func<BinaryReader, T> read)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(raw, 0, rawLength, writable: false), Encoding.UTF8);
            return read(r);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or ArgumentException or DecoderFallbackException)
        {
            throw Fail(RecordingProblem.Corrupted, $"corrupted: its contents do not parse ({e.Message})", inner: e);
        }
    }

    /// <summary>Reads, checks and decompresses the next chunk into <see cref="raw"/>; false at the end of the file.</summary>
    private bool TryReadChunk(out ChunkKind kind, out int rawLength)
    {
        chunkStart = offset;
        int n = Read(frame);
        if (n == 0)
        {
            kind = 0;
            rawLength = 0;
            return false;
        }

        if (n < frame.Length)
        {
            throw Fail(RecordingProblem.Truncated, $"truncated: the file ends inside a chunk's {frame.Length}-byte frame");
        }

        kind = (ChunkKind)BinaryPrimitives.ReadUInt32LittleEndian(frame);
        uint storedLength = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4));
        uint rawSize = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8));
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(12));
        if (storedLength > RecordingFormat.MaxChunkBytes || rawSize > RecordingFormat.MaxChunkBytes)
        {
            throw Fail(RecordingProblem.Corrupted, $"corrupted: a chunk frame claims {storedLength} bytes stored, {rawSize} raw (at most {RecordingFormat.MaxChunkBytes})");
        }

        if (length >= 0 && storedLength > length - chunkStart - frame.Length)
        {
            throw Fail(RecordingProblem.Truncated, $"truncated: a chunk of {storedLength} bytes starts here but the file ends after {length - chunkStart - frame.Length}");
        }

        if (stored.Length < storedLength)
        {
            stored = new byte[Math.Max(storedLength, stored.Length * 2)];
        }

        n = Read(stored.AsSpan(0, (int)storedLength));
        if (n < storedLength)
        {
            throw Fail(RecordingProblem.Truncated, $"truncated: the file ends inside a chunk of {storedLength} bytes, after {n}");
        }

        if (Crc(storedLength) != crc)
        {
            throw Fail(RecordingProblem.Corrupted, "corrupted: a chunk's checksum does not match");
        }

        if (raw.Length < rawSize)
        {
            raw = new byte[rawSize];
        }

        rawLength = Inflate((int)storedLength, (int)rawSize);
        offset = chunkStart + frame.Length + storedLength;
        return true;
    }

    private uint Crc(uint storedLength) => ChunkWriter.Checksum(frame.AsSpan(0, 12), stored.AsSpan(0, (int)storedLength));

    private int Inflate(int storedLength, int rawSize)
    {
        try
        {
            using var z = new ZLibStream(new MemoryStream(stored, 0, storedLength, writable: false), CompressionMode.Decompress);
            int n = z.ReadAtLeast(raw.AsSpan(0, rawSize), rawSize, throwOnEndOfStream: false);
            if (n != rawSize || z.ReadByte() >= 0)
            {
                throw Fail(RecordingProblem.Corrupted, $"corrupted: a chunk does not decompress to the {rawSize} bytes its frame says");
            }

            return n;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // zlib's own errors come as an IOException (ZLibException) for some damaged streams, InvalidDataException for others
            throw Fail(RecordingProblem.Corrupted, $"corrupted: a chunk does not decompress ({e.Message})", inner: e);
        }
    }

    /// <summary>Fills <paramref name="into"/> as far as the file goes; an I/O error is <see cref="RecordingProblem.Unreadable"/>, not the contents' fault.</summary>
    private int Read(Span<byte> into)
    {
        try
        {
            return input.ReadAtLeast(into, into.Length, throwOnEndOfStream: false);
        }
        catch (IOException e)
        {
            chunkStart = offset;
            throw Fail(RecordingProblem.Unreadable, $"cannot be read: {e.Message}", inner: e);
        }
    }

    private RecordingException Fail(RecordingProblem problem, string what, Exception? inner = null)
    {
        long at = chunkStart;
        string read = $"{offset} of {(length >= 0 ? length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")} bytes read and intact, {Records} records in {Batches} batches";
        return new RecordingException(Path, at, problem, $"{what} (at byte {at}; {read})", inner);
    }
}

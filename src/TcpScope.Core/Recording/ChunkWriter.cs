using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace TcpScope.Recording;

/// <summary>Frames, compresses and checksums chunks onto a stream; buffers reused across chunks.</summary>
internal sealed class ChunkWriter(Stream output)
{
    private readonly MemoryStream compressed = new();
    private readonly byte[] header = new byte[RecordingFormat.ChunkHeaderSize];

    public long BytesWritten { get; private set; }

    public void WritePreamble()
    {
        Span<byte> p = stackalloc byte[RecordingFormat.PreambleSize];
        p.Clear();
        RecordingFormat.Magic.CopyTo(p);
        BinaryPrimitives.WriteUInt16LittleEndian(p[8..], RecordingFormat.Version);
        output.Write(p);
        BytesWritten += p.Length;
    }

    public void Write(ChunkKind kind, ReadOnlySpan<byte> raw)
    {
        compressed.SetLength(0);
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        ReadOnlySpan<byte> stored = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)kind);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)stored.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)raw.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), Checksum(header.AsSpan(0, 12), stored));
        output.Write(header);
        output.Write(stored);
        BytesWritten += header.Length + stored.Length;
    }

    public static uint Checksum(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> stored)
    {
        var crc = new Crc32();
        crc.Append(frame);
        crc.Append(stored);
        return crc.GetCurrentHashAsUInt32();
    }
}

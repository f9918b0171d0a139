using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using CsCheck;
using TcpScope.Decode;
using TcpScope.Recording;

namespace TcpScope.Tests;

/// <summary>
/// Random and mutated files through the reader and the record decoder, a bounded number of
/// cases each: a <see cref="RecordingException"/> is the only exception that may come out.
/// </summary>
public sealed class RecordingFuzzTests
{
    private static readonly byte[] Preamble = [0x89, (byte)'T', (byte)'S', (byte)'R', (byte)'E', (byte)'C', 0x0D, 0x0A, 1, 0, 0, 0, 0, 0, 0, 0];

    private static readonly byte[] Valid = MakeValid();

    [Fact]
    public void Random_bytes_only_ever_give_the_documented_error() =>
        Gen.Byte.Array[0, 3000].Sample(ReplayOrDocumentedError, iter: 3000);

    [Fact]
    public void Random_bytes_after_a_valid_preamble_only_ever_give_the_documented_error() =>
        Gen.Byte.Array[0, 3000].Select(b => (byte[])[.. Preamble, .. b]).Sample(ReplayOrDocumentedError, iter: 3000);

    [Fact]
    public void Mutated_recordings_only_ever_give_the_documented_error()
    {
        Gen<byte[]> flips = Gen.Select(Gen.Int[0, Valid.Length - 1].Array[1, 8], Gen.Byte[1, 255].Array[8], (at, x) =>
        {
            byte[] f = (byte[])Valid.Clone();
            for (int i = 0; i < at.Length; i++)
            {
                f[at[i]] ^= x[i];
            }

            return f;
        });
        Gen<byte[]> cuts = Gen.Int[0, Valid.Length - 1].Select(n => Valid[..n]);
        Gen<byte[]> inserts = Gen.Select(Gen.Int[0, Valid.Length], Gen.Byte.Array[1, 64], (at, b) => (byte[])[.. Valid[..at], .. b, .. Valid[at..]]);

        Gen.OneOf(flips, cuts, inserts).Sample(ReplayOrDocumentedError, iter: 4000);
    }

    [Fact]
    public void Chunks_with_good_checksums_and_random_contents_only_ever_give_the_documented_error()
    {
        // past the checksum: random payloads and random ring records must still fail cleanly
        Gen<byte[]> randomRecord = Gen.Byte.Array[0, 400].Select(Gen.UShort[0, 12], (b, kind) =>
        {
            if (b.Length >= 2)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(b, kind);
            }

            return b;
        });
        Gen<byte[]> recordsChunk = randomRecord.Array[0, 20].Select(Gen.Bool.Array[20], (records, batch) =>
        {
            var m = new MemoryStream();
            var h = new byte[8];
            for (int i = 0; i < records.Length; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(h, batch[i] ? 2u : 1u);
                BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), batch[i] ? 8u : (uint)records[i].Length);
                m.Write(h);
                byte[] body = batch[i] ? new byte[8] : records[i];
                m.Write(body);
                m.Write(new byte[((body.Length + 7) & ~7) - body.Length]);
            }

            return Chunk(3, m.ToArray());
        });
        Gen<byte[]> anyChunk = Gen.Select(Gen.UInt[0, 6], Gen.Byte.Array[0, 300], (kind, raw) => Chunk(kind, raw));

        // stored bytes that are no zlib stream, or one mangled after compression, under a good checksum
        Gen<byte[]> badStream = Gen.Select(Gen.UInt[1, 4], Gen.Byte.Array[0, 300], Gen.UInt[0, 4096], (kind, stored, raw) => Framed(kind, stored, raw));
        Gen<byte[]> mangled = Gen.Select(recordsChunk, Gen.Int[0, 10_000], Gen.Byte[1, 255], (chunk, at, x) =>
        {
            byte[] stored = chunk[16..];
            if (stored.Length > 0)
            {
                stored[at % stored.Length] ^= x;
            }

            return Framed(3, stored, BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(8)));
        });
        Gen<byte[]> file = Gen.Frequency((3, recordsChunk), (1, anyChunk), (1, badStream), (1, mangled)).Array[0, 6].Select(Gen.Bool, (chunks, header) =>
        {
            byte[] start = header ? Valid[..HeaderAndEnumsEnd()] : Preamble;
            return (byte[])[.. start, .. chunks.SelectMany(c => c)];
        });

        file.Sample(ReplayOrDocumentedError, iter: 3000);
    }

    private static void ReplayOrDocumentedError(byte[] file)
    {
        try
        {
            using ReplaySource source = ReplaySource.Open(new MemoryStream(file, writable: false), "fuzz.tsrec");
            source.Run(new RecordingTests.Calls(), CancellationToken.None);
        }
        catch (RecordingException e)
        {
            Assert.StartsWith("fuzz.tsrec: ", e.Message);
            Assert.InRange(e.Offset, 0, file.Length);
        }
    }

    private static byte[] Chunk(uint kind, byte[] raw)
    {
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        return Framed(kind, compressed.ToArray(), (uint)raw.Length);
    }

    /// <summary>A chunk frame with a good checksum around whatever <paramref name="stored"/> is.</summary>
    private static byte[] Framed(uint kind, byte[] stored, uint rawLength)
    {
        var frame = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, kind);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)stored.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), rawLength);
        var crc = new Crc32();
        crc.Append(frame.AsSpan(0, 12));
        crc.Append(stored);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(12), crc.GetCurrentHashAsUInt32());
        return [.. frame, .. stored];
    }

    private static int HeaderAndEnumsEnd() => (int)RecordingTests.ChunkStarts(Valid)[2];

    private static byte[] MakeValid()
    {
        string path = Path.GetTempFileName();
        try
        {
            RecordingTests.Write(path, KernelEnums.FromKernel().Tables);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

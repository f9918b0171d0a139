using System.Text;
using TcpScope.Decode;
using TcpScope.Sources;

namespace TcpScope.Recording;

/// <summary>
/// The contents of the header, enums and trailer chunks: little-endian integers and strings
/// with a 7-bit-encoded byte length before their UTF-8 (BinaryWriter's encoding), in the order
/// docs/recording-format.md gives.
/// </summary>
internal static class Payloads
{
    public static byte[] Header(RecordingHeader h) => Build(w =>
    {
        w.Write(h.RecordAbiVersion);
        w.Write(h.WallOffsetNs);
        w.Write(h.StartNs);
        w.Write(h.KernelRelease);
        w.Write(h.Hostname);
        w.Write(h.BootId);
        w.Write(h.Source);
        w.Write(h.Tool);
        w.Write(h.Families);
        w.Write(h.MaxSockets);
    });

    public static RecordingHeader ReadHeader(BinaryReader r) => new(
        r.ReadUInt32(), r.ReadInt64(), r.ReadInt64(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString(),
        r.ReadUInt32());

    public static byte[] Enums(IReadOnlyList<KernelEnumTable> tables) => Build(w =>
    {
        w.Write(tables.Count);
        foreach (KernelEnumTable t in tables)
        {
            w.Write(t.Name);
            w.Write(t.Members.Count);
            foreach ((long value, string name) in t.Members)
            {
                w.Write(value);
                w.Write(name);
            }
        }
    });

    public static List<KernelEnumTable> ReadEnums(BinaryReader r)
    {
        int count = Count(r, 5);
        var tables = new List<KernelEnumTable>(count);
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadString();
            int members = Count(r, 9);
            var list = new KeyValuePair<long, string>[members];
            for (int m = 0; m < members; m++)
            {
                list[m] = new(r.ReadInt64(), r.ReadString());
            }

            tables.Add(new KernelEnumTable(name, list));
        }

        return tables;
    }

    public static byte[] Trailer(RecordingTrailer t) => Build(w =>
    {
        w.Write(t.Stats.StartNs);
        w.Write(t.Stats.EndNs);
        w.Write(t.Records);
        w.Write(t.Batches);
        w.Write(t.Stats.Events);
        w.Write(t.Stats.Lost);
        w.Write(t.Stats.Malformed);
        w.Write(t.Stats.SocketsNotFollowed);
        w.Write(t.Stats.ListenersNotFollowed);
        w.Write(t.Stats.AttemptsNotFollowed);
        w.Write(t.Stats.LossNotices);
        w.Write(t.Source);
        w.Write(t.Stats.Degraded.Count);
        foreach (string d in t.Stats.Degraded)
        {
            w.Write(d);
        }
    });

    public static RecordingTrailer ReadTrailer(BinaryReader r)
    {
        long start = r.ReadInt64();
        long end = r.ReadInt64();
        long records = r.ReadInt64();
        long batches = r.ReadInt64();
        var stats = new SourceStats(r.ReadInt64(), r.ReadUInt64(), r.ReadInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), start, end);
        string source = r.ReadString();
        var degraded = new string[Count(r, 1)];
        for (int i = 0; i < degraded.Length; i++)
        {
            degraded[i] = r.ReadString();
        }

        return new RecordingTrailer(degraded.Length == 0 ? stats : stats with { Degraded = degraded }, source, records, batches);
    }

    /// <summary>A count that the rest of the payload can hold (each item at least <paramref name="minItemBytes"/>).</summary>
    private static int Count(BinaryReader r, int minItemBytes)
    {
        int n = r.ReadInt32();
        long left = r.BaseStream.Length - r.BaseStream.Position;
        if (n < 0 || (long)n * minItemBytes > left)
        {
            throw new InvalidDataException($"a count of {n} does not fit the {left} bytes left");
        }

        return n;
    }

    private static byte[] Build(Action<BinaryWriter> write)
    {
        var m = new MemoryStream();
        using (var w = new BinaryWriter(m, Encoding.UTF8, leaveOpen: true))
        {
            write(w);
        }

        return m.ToArray();
    }
}

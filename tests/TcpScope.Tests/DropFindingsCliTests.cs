using System.Buffers.Binary;
using TcpScope.Cli;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Recording;
using TcpScope.Sources;

namespace TcpScope.Tests;

/// <summary>`drops` runs the drop rules: their findings at the end, in text and through the JSON record model, from a recording.</summary>
public sealed class DropFindingsCliTests : IDisposable
{
    private const long S = 1_000_000_000;
    private const int NetfilterDrop = 17;

    private readonly string dir = Directory.CreateTempSubdirectory("tcpscope-drop-findings-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new MemoryStream();
        var error = new StringWriter();
        int code = CliApp.Run(args, new CliConsole(TextWriter.Null, error, () => stdout));
        return (code, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), error.ToString());
    }

    /// <summary>A ts_drop_event at the offsets of bpf/tcpscope.h: a SYN from 198.18.0.1:40000 to 198.18.0.2:81, no socket.</summary>
    private static byte[] SynDrop(long tsNs, int reason)
    {
        var r = new byte[DropEvent.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0), 12);              // drop
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), (ushort)DropEvent.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), 4026532239);
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), (ulong)tsNs);
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(48), 0xffffffff81e0c299); // location
        new byte[] { 198, 18, 0, 1 }.CopyTo(r, 56);
        new byte[] { 198, 18, 0, 2 }.CopyTo(r, 72);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(88), 2);             // AF_INET
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(90), 40000);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(92), 81);
        r[94] = 0x02;                                                          // SYN
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(96), reason);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(100), 0x2);          // packet, no socket
        return r;
    }

    /// <summary>A SYN and two retransmits into a DROP rule, as `drops --record` saves them.</summary>
    private string FirewallRecording()
    {
        string path = Path.Combine(dir, "fw.tsrec");
        RecordingHeader header = RecordingTests.Header() with { Families = RecordingHeader.DropsFamily, StartNs = 9 * S };
        KernelEnumTable[] tables =
        [
            KernelEnums.BuiltIn.Tables[0],
            new KernelEnumTable(KernelEnumTable.DropReasons, [new(NetfilterDrop, "SKB_DROP_REASON_NETFILTER_DROP")]),
            new KernelEnumTable(KernelEnumTable.ResetReasons, [new(1, "SK_RST_REASON_NO_SOCKET")]),
        ];
        using RecordingWriter w = RecordingWriter.Create(path, header, tables);
        for (int i = 0; i < 3; i++)
        {
            w.OnRecord(SynDrop((10 + i) * S, NetfilterDrop));
        }

        w.OnBatchEnd(13 * S);
        w.Complete(new SourceStats(3, 0, 0, StartNs: 9 * S, EndNs: 13 * S));
        return path;
    }

    [Fact]
    public void The_firewall_finding_comes_at_the_end_as_a_json_finding_record()
    {
        (int code, string output, string err) = Run("drops", "--json", "--from", FirewallRecording());

        Assert.True(code == 0, err);
        string finding = Assert.Single(output.Split('\n'), l => l.Contains("\"type\":\"finding\"", StringComparison.Ordinal));
        Assert.Contains("\"id\":\"TCP-FIREWALL-DROPS\"", finding);
        Assert.Contains("\"severity\":\"warning\"", finding);
        Assert.Contains("\"subject\":\"198.18.0.2:81, NETFILTER_DROP, netns 4026532239\"", finding);
        Assert.Contains("3 segment(s) to 198.18.0.2:81 dropped with reason NETFILTER_DROP in netns 4026532239, 3 of them SYN(s)", finding);
    }

    [Fact]
    public void The_text_output_ends_with_the_finding()
    {
        (int code, string output, string err) = Run("drops", "--from", FirewallRecording());

        Assert.True(code == 0, err);
        Assert.Contains("FINDING TCP-FIREWALL-DROPS [warning]: a firewall rule in netns 4026532239 dropped 3 segment(s) to 198.18.0.2:81, 3 of them SYN(s)", output);
    }
}
